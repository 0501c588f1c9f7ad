// The projection of what may be recommended: catalog's listings and sellers' shop statuses, written only
// by the event consumer (and the demo seed for shop statuses). No rules here.
import type { Prisma, PrismaClient, SellerStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ListingSnapshot {
  productId: string;
  sellerId: string;
  categoryId: string;
  title: string;
  price: { amountMinor: number; currencyCode: string };
  stock: number;
}

/**
 * Overwrites the listing with catalog's snapshot (`product.created` / `product.updated`); a product
 * seen for the first time is listed at `listedAt`, which later snapshots leave as it was.
 */
export async function upsertListing(db: Db, snapshot: ListingSnapshot, listedAt: Date): Promise<void> {
  const { productId, sellerId, categoryId, title, price, stock } = snapshot;
  const fields = {
    sellerId,
    categoryId,
    title,
    priceMinor: BigInt(price.amountMinor),
    currencyCode: price.currencyCode,
    stock,
  };
  await db.productListing.upsert({
    where: { productId },
    create: { productId, listedAt, ...fields },
    update: fields,
  });
}

/** Sets a listed product's available stock; false when the product was never listed here. */
export async function setStock(db: Db, productId: string, stock: number): Promise<boolean> {
  const { count } = await db.productListing.updateMany({ where: { productId }, data: { stock } });
  return count > 0;
}

export interface SellerSnapshot {
  sellerId: string;
  name: string;
  status: SellerStatus;
}

/** A new shop (`seller.created`): its name and status. */
export async function upsertSeller(db: Db, { sellerId, name, status }: SellerSnapshot): Promise<void> {
  await db.sellerState.upsert({
    where: { sellerId },
    create: { sellerId, name, status },
    update: { name, status },
  });
}

/** A shop's new status (`seller.status_changed`); its name stays as `seller.created` gave it. */
export async function upsertSellerStatus(db: Db, sellerId: string, status: SellerStatus): Promise<void> {
  await db.sellerState.upsert({ where: { sellerId }, create: { sellerId, status }, update: { status } });
}

/** Records shops as ACTIVE unless their status is known already (the demo shops emit no events). */
export async function addActiveSellers(
  db: Db,
  sellers: readonly { sellerId: string; name: string }[],
): Promise<void> {
  await db.sellerState.createMany({
    data: sellers.map(({ sellerId, name }) => ({ sellerId, name, status: 'ACTIVE' as const })),
    skipDuplicates: true,
  });
}
