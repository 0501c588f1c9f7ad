import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A product delivered to a buyer, and the shop that delivered it. */
export interface ReceivedProductRow {
  buyerId: string;
  productId: string;
  sellerId: string;
  receivedAt: Date;
}

/**
 * Records deliveries; a buyer and product already recorded keep their first row (ON CONFLICT DO
 * NOTHING), so a delivery seen again changes nothing. Returns how many rows were new.
 */
export async function recordMany(db: Db, rows: readonly ReceivedProductRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { count } = await db.receivedProduct.createMany({ data: [...rows], skipDuplicates: true });
  return count;
}

export function findByBuyerAndProduct(
  db: Db,
  buyerId: string,
  productId: string,
): Promise<ReceivedProductRow | null> {
  return db.receivedProduct.findUnique({
    where: { buyerId_productId: { buyerId, productId } },
    select: { buyerId: true, productId: true, sellerId: true, receivedAt: true },
  });
}
