// The paid orders the model has counted, and what each buyer has. Raw SQL where rows change by
// arithmetic; no rules here (services/purchase.service.ts decides).
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface CountedOrder {
  orderId: string;
  buyerId: string;
  productIds: string[];
  confirmedAt: Date;
}

/** Namespace of the buyer advisory locks (first key of pg_advisory_xact_lock(int, int)). */
const BUYER_LOCK_SPACE = 0x7265_636f; // "reco"

/**
 * Serializes the transactions that change one buyer's products until the transaction ends: two paid
 * orders of one buyer (on different event lanes) must each see the other's products, or the pairs
 * between them would be lost. Taken before any row lock, so it never takes part in a lock cycle.
 */
export async function lockBuyer(db: Db, buyerId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(${BUYER_LOCK_SPACE}::int, hashtext(${buyerId}))`;
}

/** Records the order as counted; false when it was counted before (nothing written). */
export async function insertOrder(db: Db, order: CountedOrder): Promise<boolean> {
  const { count } = await db.purchasedOrder.createMany({ data: [order], skipDuplicates: true });
  return count === 1;
}

/** Marks a counted order cancelled; returns it, or null when it is unknown or cancelled already. */
export async function markCancelled(db: Db, orderId: string, at: Date): Promise<CountedOrder | null> {
  const rows = await db.$queryRaw<CountedOrder[]>`
    UPDATE purchased_orders SET cancelled_at = ${at}
     WHERE order_id = ${orderId} AND cancelled_at IS NULL
    RETURNING order_id AS "orderId", buyer_id AS "buyerId", product_ids AS "productIds",
              confirmed_at AS "confirmedAt"`;
  return rows[0] ?? null;
}

/** The buyer of a counted order, cancelled or not; null when the order was never counted. */
export async function findBuyerOfOrder(db: Db, orderId: string): Promise<string | null> {
  const row = await db.purchasedOrder.findUnique({ where: { orderId }, select: { buyerId: true } });
  return row?.buyerId ?? null;
}

export async function countOrders(db: Db): Promise<number> {
  return db.purchasedOrder.count();
}

/** Every product the buyer has. */
export async function findOwned(db: Db, buyerId: string): Promise<string[]> {
  const rows = await db.buyerProduct.findMany({ where: { buyerId }, select: { productId: true } });
  return rows.map((r) => r.productId);
}

/** Adds one order of each product to the buyer's holdings (new rows for new products). */
export async function addHoldings(
  db: Db,
  buyerId: string,
  productIds: readonly string[],
  at: Date,
): Promise<void> {
  await db.$executeRaw`
    INSERT INTO buyer_products (buyer_id, product_id, orders, first_bought_at, last_bought_at)
    SELECT ${buyerId}, p.id, 1, ${at}, ${at} FROM unnest(${[...productIds].sort()}::text[]) AS p(id) ORDER BY p.id
    ON CONFLICT (buyer_id, product_id) DO UPDATE
      SET orders = buyer_products.orders + 1,
          first_bought_at = LEAST(buyer_products.first_bought_at, EXCLUDED.first_bought_at),
          last_bought_at = GREATEST(buyer_products.last_bought_at, EXCLUDED.last_bought_at)`;
}

/**
 * Takes one order of each product out of the buyer's holdings; rows left with none are deleted.
 * Returns the products the buyer no longer has.
 */
export async function removeHoldings(
  db: Db,
  buyerId: string,
  productIds: readonly string[],
): Promise<string[]> {
  const ids = [...productIds].sort();
  const gone = await db.$queryRaw<{ productId: string }[]>`
    DELETE FROM buyer_products
     WHERE buyer_id = ${buyerId} AND product_id = ANY(${ids}::text[]) AND orders = 1
    RETURNING product_id AS "productId"`;
  await db.$executeRaw`
    UPDATE buyer_products SET orders = orders - 1
     WHERE buyer_id = ${buyerId} AND product_id = ANY(${ids}::text[]) AND orders > 1`;
  return gone.map((r) => r.productId);
}
