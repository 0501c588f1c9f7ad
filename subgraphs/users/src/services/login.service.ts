import { userError } from '@mp/kit';
import { hashPassword, needsRehash, spendKdfTime, verifyPassword } from '../auth/password.ts';
import type { Context } from '../context.ts';
import * as users from '../repositories/user.repository.ts';
import { authFailure, signedIn, type AuthPayload } from './auth-payload.ts';
import { startSession } from './session.service.ts';
import { EMAIL_MAX, isStorableEmail, normaliseEmail } from './user-input.ts';

/**
 * Signs in with email and password. An unknown email still runs the KDF and gets the very same error as
 * a wrong password, so neither the answer nor its timing tells whether an account exists.
 */
export async function login(ctx: Context, input: { email: string; password: string }): Promise<AuthPayload> {
  const email = normaliseEmail(input.email);
  const storable = isStorableEmail(email);
  const user = storable ? await users.findCredentialsByEmail(ctx.prisma, email) : null;
  const valid = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await spendKdfTime(input.password).then(() => false);
  if (!user || !valid) {
    const shown =
      email.length <= EMAIL_MAX ? JSON.stringify(email) : `an email of ${email.length} characters`;
    return authFailure(
      userError(null, `No account matches ${shown} with this password`, 'INVALID_CREDENTIALS'),
    );
  }
  // Parameters raised since this hash was made: upgrade it while the plain password is at hand.
  if (needsRehash(user.passwordHash))
    await users.updatePasswordHash(ctx.prisma, user.id, await hashPassword(input.password));
  const refreshToken = await ctx.prisma.$transaction((tx) => startSession(tx, user.id, ctx.tokens));
  const { passwordHash: _omitted, ...row } = user;
  return signedIn(ctx.tokens, row, refreshToken);
}
