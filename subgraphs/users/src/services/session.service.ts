import { randomUUID } from 'node:crypto';
import { userError, type UserError as KitUserError } from '@mp/kit';
import { identityOf } from '../auth/access-token.ts';
import { generateRefreshToken, hashRefreshToken, looksLikeRefreshToken } from '../auth/refresh-token.ts';
import type { Context, TokenConfig } from '../context.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import * as refreshTokens from '../repositories/refresh-token.repository.ts';
import * as sessions from '../repositories/session.repository.ts';
import * as users from '../repositories/user.repository.ts';
import type { UserRow } from '../repositories/user.repository.ts';

type UserError = KitUserError<UserErrorCode>;
type Tx = Prisma.TransactionClient;

const DAY_MS = 86_400_000;

export interface RefreshSessionPayload {
  accessToken: string | null;
  refreshToken: string | null;
  userErrors: UserError[];
}

export interface LogoutPayload {
  success: boolean;
  userErrors: UserError[];
}

const refreshFailure = (
  message: string,
  code: 'INVALID_REFRESH_TOKEN' | 'TOKEN_REUSED',
): RefreshSessionPayload => ({
  accessToken: null,
  refreshToken: null,
  userErrors: [userError(['refreshToken'], message, code)],
});

/** Adds a refresh token to a session; returns the opaque value, which is stored only as its hash. */
async function addRefreshToken(tx: Tx, sessionId: string, tokens: TokenConfig): Promise<string> {
  const token = generateRefreshToken();
  await refreshTokens.create(tx, {
    id: randomUUID(),
    sessionId,
    tokenHash: hashRefreshToken(token),
    expiresAt: new Date(Date.now() + tokens.refreshTokenTtlDays * DAY_MS),
  });
  return token;
}

/** Starts a new session (refresh-token family) for a user who just proved who they are. */
export async function startSession(tx: Tx, userId: string, tokens: TokenConfig): Promise<string> {
  const sessionId = randomUUID();
  await sessions.create(tx, { id: sessionId, userId });
  return addRefreshToken(tx, sessionId, tokens);
}

export function signAccessToken(tokens: TokenConfig, user: UserRow): Promise<string> {
  return tokens.signAccessToken(identityOf(user));
}

type Rotation =
  | { ok: true; user: UserRow; refreshToken: string }
  | { ok: false; message: string; code: 'INVALID_REFRESH_TOKEN' | 'TOKEN_REUSED'; sessionId?: string };

const REUSED =
  'This refresh token was already used, so it may have been stolen: its session is now revoked. Sign in again.';

async function rotate(tx: Tx, tokenHash: string, tokens: TokenConfig): Promise<Rotation> {
  const row = await refreshTokens.findByHash(tx, tokenHash);
  if (!row)
    return {
      ok: false,
      message: 'This refresh token is unknown; sign in again',
      code: 'INVALID_REFRESH_TOKEN',
    };
  if (row.usedAt) {
    await sessions.revoke(tx, row.sessionId, 'TOKEN_REUSED');
    return { ok: false, message: REUSED, code: 'TOKEN_REUSED', sessionId: row.sessionId };
  }
  if (row.session.revokedAt) {
    const at = row.session.revokedAt.toISOString();
    return {
      ok: false,
      message: `This refresh token's session ended at ${at}; sign in again`,
      code: 'INVALID_REFRESH_TOKEN',
    };
  }
  if (row.expiresAt.getTime() <= Date.now()) {
    const at = row.expiresAt.toISOString();
    return {
      ok: false,
      message: `This refresh token expired at ${at}; sign in again`,
      code: 'INVALID_REFRESH_TOKEN',
    };
  }
  // A concurrent refresh of the same token got here first: that is a second presentation too.
  if (!(await refreshTokens.markUsed(tx, row.id))) {
    await sessions.revoke(tx, row.sessionId, 'TOKEN_REUSED');
    return { ok: false, message: REUSED, code: 'TOKEN_REUSED', sessionId: row.sessionId };
  }
  const user = await users.findById(tx, row.session.userId);
  if (!user)
    return {
      ok: false,
      message: 'The account of this refresh token no longer exists',
      code: 'INVALID_REFRESH_TOKEN',
    };
  return { ok: true, user, refreshToken: await addRefreshToken(tx, row.sessionId, tokens) };
}

/**
 * Rotates a refresh token: the presented one is used up, a new one joins the same session, and the new
 * access token's claims are read from the user row now (so a shop opened since shows up). A token seen
 * twice revokes its whole session; the revocation commits even though the call reports a failure.
 */
export async function refreshSession(ctx: Context, refreshToken: string): Promise<RefreshSessionPayload> {
  if (!looksLikeRefreshToken(refreshToken)) {
    return refreshFailure(
      'This is not a refresh token issued by this API; sign in again',
      'INVALID_REFRESH_TOKEN',
    );
  }
  const tokenHash = hashRefreshToken(refreshToken);
  const rotation = await ctx.prisma.$transaction((tx) => rotate(tx, tokenHash, ctx.tokens));
  if (!rotation.ok) {
    if (rotation.code === 'TOKEN_REUSED')
      ctx.log.warn({ sessionId: rotation.sessionId }, 'refresh token reused; session revoked');
    return refreshFailure(rotation.message, rotation.code);
  }
  return {
    accessToken: await signAccessToken(ctx.tokens, rotation.user),
    refreshToken: rotation.refreshToken,
    userErrors: [],
  };
}

/** Ends the session the token belongs to; every token of the family stops working. Idempotent. */
export async function logout(ctx: Context, refreshToken: string): Promise<LogoutPayload> {
  const row = looksLikeRefreshToken(refreshToken)
    ? await refreshTokens.findByHash(ctx.prisma, hashRefreshToken(refreshToken))
    : null;
  if (!row) {
    return {
      success: false,
      userErrors: [
        userError(
          ['refreshToken'],
          'This refresh token is unknown; there is no session to end',
          'INVALID_REFRESH_TOKEN',
        ),
      ],
    };
  }
  await sessions.revoke(ctx.prisma, row.sessionId, 'LOGOUT');
  return { success: true, userErrors: [] };
}
