import { randomUUID } from 'node:crypto';
import { enqueueEvent } from '@mp/events';
import { userError } from '@mp/kit';
import { hashPassword } from '../auth/password.ts';
import type { Context } from '../context.ts';
import { Prisma } from '../generated/prisma/client.ts';
import * as users from '../repositories/user.repository.ts';
import { authFailure, signedIn, type AuthPayload } from './auth-payload.ts';
import { startSession } from './session.service.ts';
import { checkRegistration } from './user-input.ts';

const emailTaken = (email: string) =>
  authFailure(
    userError(
      ['input', 'email'],
      `An account with the email "${email}" already exists; sign in instead`,
      'EMAIL_TAKEN',
    ),
  );

function isUniqueViolation(error: unknown, field: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  return JSON.stringify(error.meta ?? {}).includes(field);
}

/**
 * Creates a BUYER account and signs it in. The user row, its first session and the `user.registered`
 * outbox event commit together; invalid input writes nothing.
 */
export async function register(
  ctx: Context,
  input: { email: string; password: string; name: string },
): Promise<AuthPayload> {
  const checked = checkRegistration(input);
  if (!checked.ok) return authFailure(...checked.errors);
  const { email, password, name } = checked.value;
  // Checked before hashing so a taken email costs no KDF time; the unique index still decides races.
  if (await users.existsByEmail(ctx.prisma, email)) return emailTaken(email);
  const passwordHash = await hashPassword(password);
  try {
    const { user, refreshToken } = await ctx.prisma.$transaction(async (tx) => {
      const created = await users.create(tx, {
        id: randomUUID(),
        email,
        name,
        passwordHash,
        roles: ['BUYER'],
      });
      await enqueueEvent(tx, 'user.registered', created.id, { userId: created.id, email, name });
      return { user: created, refreshToken: await startSession(tx, created.id, ctx.tokens) };
    });
    return await signedIn(ctx.tokens, user, refreshToken);
  } catch (error) {
    if (isUniqueViolation(error, 'email')) return emailTaken(email);
    throw error;
  }
}
