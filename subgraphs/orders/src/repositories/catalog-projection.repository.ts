import type { Prisma, PrismaClient, SellerStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A product as orders knows it: enough to price a cart and place an order. */
export interface ProductProjectionRow {
  productId: string;
  sellerId: string;
  title: string;
  priceMinor: bigint;
  currencyCode: string;
  stock: number;
  /** The shop's status as sellers last announced it; null when orders has not heard of the shop. */
  sellerStatus: SellerStatus | null;
}

export async function findProducts(db: Db, productIds: readonly string[]): Promise<ProductProjectionRow[]> {
  if (productIds.length === 0) return [];
  const products = await db.productProjection.findMany({
    where: { productId: { in: [...productIds] } },
    select: {
      productId: true,
      sellerId: true,
      title: true,
      priceMinor: true,
      currencyCode: true,
      stock: true,
    },
  });
  const sellers = await db.sellerState.findMany({
    where: { sellerId: { in: [...new Set(products.map((p) => p.sellerId))] } },
    select: { sellerId: true, status: true },
  });
  const statusOf = new Map(sellers.map((s) => [s.sellerId, s.status]));
  return products.map((p) => ({ ...p, sellerStatus: statusOf.get(p.sellerId) ?? null }));
}

/** Overwrites the projection with a product snapshot (product.created / product.updated). */
export async function upsertProduct(
  db: Db,
  product: Omit<ProductProjectionRow, 'sellerStatus'>,
): Promise<void> {
  const { productId, ...fields } = product;
  await db.productProjection.upsert({
    where: { productId },
    create: { productId, ...fields },
    update: fields,
  });
}

/** Stock changes arrive without the rest of the snapshot; a product not known yet is skipped. */
export async function updateStock(db: Db, productId: string, stock: number): Promise<void> {
  await db.productProjection.updateMany({ where: { productId }, data: { stock } });
}

export async function upsertSellerStatus(db: Db, sellerId: string, status: SellerStatus): Promise<void> {
  await db.sellerState.upsert({ where: { sellerId }, create: { sellerId, status }, update: { status } });
}
