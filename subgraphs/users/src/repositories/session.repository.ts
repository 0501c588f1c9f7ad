import type { Prisma, PrismaClient, SessionRevokedReason } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export async function create(db: Db, data: { id: string; userId: string }): Promise<void> {
  await db.session.create({ data, select: { id: true } });
}

/** Revokes a session unless it already was (the first reason and time are kept); returns whether it did. */
export async function revoke(db: Db, id: string, reason: SessionRevokedReason): Promise<boolean> {
  const { count } = await db.session.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date(), revokedReason: reason },
  });
  return count === 1;
}
