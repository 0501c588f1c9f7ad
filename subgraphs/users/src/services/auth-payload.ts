import type { UserError as KitUserError } from '@mp/kit';
import type { UserErrorCode } from '../generated/graphql.ts';
import type { UserModel } from '../mappers.ts';
import type { UserRow } from '../repositories/user.repository.ts';
import type { TokenConfig } from '../context.ts';
import { signAccessToken } from './session.service.ts';

type UserError = KitUserError<UserErrorCode>;

export interface AuthPayload {
  accessToken: string | null;
  refreshToken: string | null;
  user: UserModel | null;
  userErrors: UserError[];
}

export const authFailure = (...userErrors: UserError[]): AuthPayload => ({
  accessToken: null,
  refreshToken: null,
  user: null,
  userErrors,
});

/** A successful sign-in: the caller has just proved to be `user`, so they may read its private fields. */
export async function signedIn(
  tokens: TokenConfig,
  user: UserRow,
  refreshToken: string,
): Promise<AuthPayload> {
  return {
    accessToken: await signAccessToken(tokens, user),
    refreshToken,
    user: { ...user, viewerIsSelf: true },
    userErrors: [],
  };
}
