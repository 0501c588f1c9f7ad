import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashRefreshToken } from '../src/auth/refresh-token.ts';
import { openDb, type UsersDb } from '../src/db.ts';
import { usersSubgraph } from '../src/subgraph.ts';
import { LOGOUT, claimsOf, meWith, refresh, registerUser, type UserErrorData } from './fixtures.ts';

let users: TestSubgraph;
let db: UsersDb;

beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph, inject('postgresAdminUrl'), {
    env: { ACCESS_TOKEN_TTL_SECONDS: '600', REFRESH_TOKEN_TTL_DAYS: '7' },
  });
  db = openDb(users.database.url);
});
afterAll(async () => {
  await db?.close();
  await users?.stop();
});

async function logout(refreshToken: string): Promise<{ success: boolean; userErrors: UserErrorData[] }> {
  const result = await users.request<{ logout: { success: boolean; userErrors: UserErrorData[] } }>(LOGOUT, {
    refreshToken,
  });
  return result.data!.logout;
}

const codeOf = (payload: { userErrors: UserErrorData[] }) => payload.userErrors[0]?.code;

describe('refreshSession', () => {
  it('rotates: a new access token and a new refresh token, stored only as a SHA-256 hash, with the configured TTLs', async () => {
    const { refreshToken, user } = await registerUser(users);
    const rotated = await refresh(users, refreshToken);
    expect(rotated.userErrors).toEqual([]);
    expect(rotated.refreshToken).toMatch(/^[\w-]{43}$/);
    expect(rotated.refreshToken).not.toBe(refreshToken);
    const claims = claimsOf(rotated.accessToken!);
    expect(claims).toMatchObject({ sub: user.id, scp: ['buyer'] });
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect((await meWith(users, rotated.accessToken!)).data!.me!.id).toBe(user.id);

    const stored = await db.prisma.refreshToken.findUnique({
      where: { tokenHash: hashRefreshToken(rotated.refreshToken!) },
    });
    expect(stored).not.toBeNull();
    const ttlDays = (stored!.expiresAt.getTime() - stored!.createdAt.getTime()) / 86_400_000;
    expect(ttlDays).toBeCloseTo(7, 2);
    const raw = await db.prisma.refreshToken.count({ where: { tokenHash: rotated.refreshToken! } });
    expect(raw).toBe(0);
  });

  it('answers a reused token with TOKEN_REUSED and revokes the whole family, including the token it was rotated into', async () => {
    const { refreshToken: first } = await registerUser(users);
    const second = (await refresh(users, first)).refreshToken!;
    const third = (await refresh(users, second)).refreshToken!;

    const reused = await refresh(users, first);
    expect(reused).toMatchObject({ accessToken: null, refreshToken: null });
    expect(reused.userErrors).toEqual([
      expect.objectContaining({ field: ['refreshToken'], code: 'TOKEN_REUSED' }),
    ]);

    const afterRevocation = await refresh(users, third);
    expect(afterRevocation).toMatchObject({ accessToken: null, refreshToken: null });
    expect(codeOf(afterRevocation)).toBe('INVALID_REFRESH_TOKEN');
    const session = await db.prisma.refreshToken.findUniqueOrThrow({
      where: { tokenHash: hashRefreshToken(third) },
      select: { session: { select: { revokedAt: true, revokedReason: true } } },
    });
    expect(session.session.revokedReason).toBe('TOKEN_REUSED');
  });

  it('leaves other sessions of the same user alone when one family is revoked', async () => {
    const registered = await registerUser(users);
    const other = (
      await users.request<{ login: { refreshToken: string } }>(
        `mutation($input: LoginInput!) { login(input: $input) { refreshToken } }`,
        { input: { email: registered.user.email, password: 'correct horse battery' } },
      )
    ).data!.login.refreshToken;
    await refresh(users, registered.refreshToken);
    expect(codeOf(await refresh(users, registered.refreshToken))).toBe('TOKEN_REUSED');
    expect((await refresh(users, other)).userErrors).toEqual([]);
  });

  it('lets exactly one of two simultaneous refreshes of the same token succeed', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { refreshToken } = await registerUser(users);
      const results = await Promise.all([refresh(users, refreshToken), refresh(users, refreshToken)]);
      const succeeded = results.filter((r) => r.userErrors.length === 0 && r.accessToken && r.refreshToken);
      expect(succeeded).toHaveLength(1);
      const failed = results.find((r) => r.userErrors.length > 0)!;
      expect(failed).toMatchObject({ accessToken: null, refreshToken: null });
      expect(codeOf(failed)).toBe('TOKEN_REUSED');
      const tokenRows = await db.prisma.refreshToken.count({
        where: { session: { refreshTokens: { some: { tokenHash: hashRefreshToken(refreshToken) } } } },
      });
      expect(tokenRows).toBe(2);
    }
  });

  it('answers unknown, malformed and expired tokens with INVALID_REFRESH_TOKEN and issues nothing', async () => {
    const { refreshToken } = await registerUser(users);
    await db.prisma.refreshToken.update({
      where: { tokenHash: hashRefreshToken(refreshToken) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const tokensBefore = await db.prisma.refreshToken.count();
    for (const token of [refreshToken, 'A'.repeat(43), 'not a token', '', 'x'.repeat(5000)]) {
      const result = await refresh(users, token);
      expect(result).toMatchObject({ accessToken: null, refreshToken: null });
      expect(codeOf(result)).toBe('INVALID_REFRESH_TOKEN');
    }
    expect(await db.prisma.refreshToken.count()).toBe(tokensBefore);
  });
});

describe('logout', () => {
  it('revokes the session: neither the presented token nor any token of its family refreshes afterwards', async () => {
    const { refreshToken: first } = await registerUser(users);
    const second = (await refresh(users, first)).refreshToken!;
    expect(await logout(second)).toEqual({ success: true, userErrors: [] });
    expect(codeOf(await refresh(users, second))).toBe('INVALID_REFRESH_TOKEN');
    const revoked = await db.prisma.refreshToken.findUniqueOrThrow({
      where: { tokenHash: hashRefreshToken(second) },
      select: { session: { select: { revokedReason: true, revokedAt: true } } },
    });
    expect(revoked.session).toMatchObject({ revokedReason: 'LOGOUT' });
    expect(revoked.session.revokedAt).toBeInstanceOf(Date);
    // Logging out twice is fine.
    expect(await logout(second)).toEqual({ success: true, userErrors: [] });
  });

  it('answers an unknown token with success false and an INVALID_REFRESH_TOKEN userError', async () => {
    for (const token of ['B'.repeat(43), 'garbage']) {
      const result = await logout(token);
      expect(result.success).toBe(false);
      expect(result.userErrors).toEqual([
        expect.objectContaining({ field: ['refreshToken'], code: 'INVALID_REFRESH_TOKEN' }),
      ]);
    }
  });
});
