// The model's counts: c(i, j) in co_purchases (both directions) and c(i), order counts and log2
// popularity in product_stats. Every statement changes its rows in product id order, so concurrent
// transactions (orders of different buyers on other event lanes) wait for each other instead of
// deadlocking. The popularity arithmetic is model/popularity.ts's addLog2/subtractLog2 in SQL.
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { ProductPair } from '../model/co-purchase.ts';
import { MAX_EXPONENT_GAP, MIN_REMAINING_FRACTION } from '../model/popularity.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Both directions of each pair, as two parallel arrays in (product_id, other_id) order. */
function directed(pairs: readonly ProductPair[]): { from: string[]; to: string[] } {
  const rows = pairs.flatMap(([a, b]) => [
    [a, b],
    [b, a],
  ]);
  rows.sort((x, y) => (x[0] === y[0] ? (x[1]! < y[1]! ? -1 : 1) : x[0]! < y[0]! ? -1 : 1));
  return { from: rows.map((r) => r[0]!), to: rows.map((r) => r[1]!) };
}

/** c(i, j) += 1 for every pair (a buyer now has both). */
export async function incrementPairs(db: Db, pairs: readonly ProductPair[]): Promise<void> {
  if (pairs.length === 0) return;
  const { from, to } = directed(pairs);
  await db.$executeRaw`
    INSERT INTO co_purchases (product_id, other_id, buyers)
    SELECT p.a, p.b, 1 FROM unnest(${from}::text[], ${to}::text[]) AS p(a, b) ORDER BY p.a, p.b
    ON CONFLICT (product_id, other_id) DO UPDATE SET buyers = co_purchases.buyers + 1`;
}

/** c(i, j) −= 1 for every pair (a buyer no longer has both); pairs reaching 0 are deleted. */
export async function decrementPairs(db: Db, pairs: readonly ProductPair[]): Promise<void> {
  if (pairs.length === 0) return;
  const { from, to } = directed(pairs);
  // Lock first, in order; the two statements after it then take no new row locks.
  await db.$executeRaw`
    SELECT 1 FROM co_purchases c JOIN unnest(${from}::text[], ${to}::text[]) AS p(a, b)
        ON c.product_id = p.a AND c.other_id = p.b
     ORDER BY c.product_id, c.other_id FOR UPDATE OF c`;
  await db.$executeRaw`
    DELETE FROM co_purchases c USING unnest(${from}::text[], ${to}::text[]) AS p(a, b)
     WHERE c.product_id = p.a AND c.other_id = p.b AND c.buyers = 1`;
  await db.$executeRaw`
    UPDATE co_purchases c SET buyers = c.buyers - 1 FROM unnest(${from}::text[], ${to}::text[]) AS p(a, b)
     WHERE c.product_id = p.a AND c.other_id = p.b AND c.buyers > 1`;
}

/**
 * One more order of each product at log2 weight `weight`; `newBuyerOf` are the products whose buyer
 * had none before (c(i) += 1).
 */
export async function addOrderToStats(
  db: Db,
  productIds: readonly string[],
  newBuyerOf: ReadonlySet<string>,
  weight: number,
): Promise<void> {
  const ids = [...productIds].sort();
  const buyers = ids.map((id) => (newBuyerOf.has(id) ? 1 : 0));
  await db.$executeRaw`
    INSERT INTO product_stats (product_id, buyers, orders, popularity_log2)
    SELECT s.id, s.buyers, 1, ${weight}::float8
      FROM unnest(${ids}::text[], ${buyers}::int[]) AS s(id, buyers) ORDER BY s.id
    ON CONFLICT (product_id) DO UPDATE SET
      buyers = product_stats.buyers + EXCLUDED.buyers,
      orders = product_stats.orders + 1,
      popularity_log2 = CASE
        WHEN product_stats.popularity_log2 IS NULL THEN EXCLUDED.popularity_log2
        ELSE GREATEST(product_stats.popularity_log2, EXCLUDED.popularity_log2)
             + ln(1 + power(2::float8, -LEAST(abs(product_stats.popularity_log2 - EXCLUDED.popularity_log2),
                                              ${MAX_EXPONENT_GAP}::float8))) / ln(2::float8)
      END`;
}

/**
 * Takes one order at log2 weight `weight` out of each product's stats; `lostBuyerOf` are the products
 * the order's buyer no longer has (c(i) −= 1). A product left without orders has no popularity.
 */
export async function removeOrderFromStats(
  db: Db,
  productIds: readonly string[],
  lostBuyerOf: ReadonlySet<string>,
  weight: number,
): Promise<void> {
  const ids = [...productIds].sort();
  const buyers = ids.map((id) => (lostBuyerOf.has(id) ? 1 : 0));
  await db.$executeRaw`
    SELECT 1 FROM product_stats WHERE product_id = ANY(${ids}::text[]) ORDER BY product_id FOR UPDATE`;
  await db.$executeRaw`
    UPDATE product_stats p SET
      buyers = p.buyers - s.buyers,
      orders = p.orders - 1,
      popularity_log2 = CASE
        WHEN p.orders = 1 THEN NULL
        ELSE p.popularity_log2
             + ln(GREATEST(1 - power(2::float8, -LEAST(GREATEST(p.popularity_log2 - ${weight}::float8, 0),
                                                        ${MAX_EXPONENT_GAP}::float8)),
                           ${MIN_REMAINING_FRACTION}::float8)) / ln(2::float8)
      END
      FROM unnest(${ids}::text[], ${buyers}::int[]) AS s(id, buyers)
     WHERE p.product_id = s.id`;
}
