import type { Prisma, PrismaClient, SellerStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** A product as orders knows it: enough to price a cart and place an order. */
export interface ProductProjectionRow {
  productId: string;
  sellerId: string;
  title: string;
  priceMinor: bigint;
  currencyCode: string;
  /** The shop's status as sellers last announced it; null when orders has not heard of the shop. */
  sellerStatus: SellerStatus | null;
}

/** Products with their shop's status, in one statement. */
export async function findProducts(db: Db, productIds: readonly string[]): Promise<ProductProjectionRow[]> {
  if (productIds.length === 0) return [];
  return db.$queryRaw<ProductProjectionRow[]>`
    SELECT p.product_id AS "productId", p.seller_id AS "sellerId", p.title,
           p.price_minor AS "priceMinor", p.currency_code AS "currencyCode",
           s.status::text AS "sellerStatus"
      FROM product_projections p
      LEFT JOIN seller_states s ON s.seller_id = p.seller_id
     WHERE p.product_id = ANY(${[...productIds]}::text[])`;
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

export async function upsertSellerStatus(db: Db, sellerId: string, status: SellerStatus): Promise<void> {
  await db.sellerState.upsert({ where: { sellerId }, create: { sellerId, status }, update: { status } });
}
