import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface RefreshTokenRow {
  id: string;
  sessionId: string;
  expiresAt: Date;
  usedAt: Date | null;
  session: { userId: string; revokedAt: Date | null };
}

export function findByHash(db: Db, tokenHash: string): Promise<RefreshTokenRow | null> {
  return db.refreshToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      sessionId: true,
      expiresAt: true,
      usedAt: true,
      session: { select: { userId: true, revokedAt: true } },
    },
  });
}

export async function create(
  db: Db,
  data: { id: string; sessionId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.refreshToken.create({ data, select: { id: true } });
}

/**
 * Marks the token used if nobody has yet: one conditional UPDATE, so of two concurrent callers exactly
 * one gets `true` (the other waits for the first's row lock, then re-checks `used_at IS NULL`).
 */
export async function markUsed(db: Db, id: string): Promise<boolean> {
  const { count } = await db.refreshToken.updateMany({
    where: { id, usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1;
}
