import type { Prisma, PrismaClient, SellerStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const sellerStateSelect = { sellerId: true, ownerId: true, status: true } as const;

export interface SellerStateRow {
  sellerId: string;
  ownerId: string;
  status: SellerStatus;
}

export function findByIds(db: Db, sellerIds: readonly string[]): Promise<SellerStateRow[]> {
  return db.sellerState.findMany({ where: { sellerId: { in: [...sellerIds] } }, select: sellerStateSelect });
}

/** Inserts or overwrites what catalog knows of a shop. */
export function upsert(db: Db, row: SellerStateRow): Promise<SellerStateRow> {
  return db.sellerState.upsert({
    where: { sellerId: row.sellerId },
    create: row,
    update: { ownerId: row.ownerId, status: row.status },
    select: sellerStateSelect,
  });
}

export function createMany(db: Db, rows: readonly SellerStateRow[]): Promise<Prisma.BatchPayload> {
  return db.sellerState.createMany({ data: [...rows], skipDuplicates: true });
}
