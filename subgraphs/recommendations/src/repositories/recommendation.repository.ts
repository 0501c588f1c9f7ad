// What the feeds read: ranked candidates, only ever products that may be recommended right now (listed
// here, stock above zero, shop ACTIVE). Scores and tie-breaks are the reference model's
// (model/co-purchase.ts, model/reference-model.ts), in SQL.
//
// These run on every request, so they are named prepared statements on the subgraph's (counted) pg pool
// rather than Prisma's $queryRaw: PostgreSQL then plans each once per connection. Measured on the demo
// data, planning the joins took 1–6 ms per execution against 0.1–1 ms executing them, and Prisma added
// about 0.7 ms of CPU per statement in the subgraph's process. The consumer's writes stay on Prisma.
import { OWNED_FOR_NEIGHBOURS, SCORE_DECIMALS } from '../model/co-purchase.ts';
import type { Candidate } from '../model/feed.ts';
import { POPULARITY_DECIMALS } from '../model/popularity.ts';

/** What the reads need of a pg pool (the subgraph's `database.pool`). */
export interface SqlReader {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
}

/**
 * What a shelf shows of a product: the fields the API @provides (title, price, the shop's name), read
 * with every ranked candidate from the same listing and shop rows that decide availability.
 */
export interface ShelfFields {
  title: string;
  /** pg returns BIGINT as a string; prices are at most Number.MAX_SAFE_INTEGER minor units. */
  priceMinor: string;
  currencyCode: string;
  sellerName: string;
}

/** A product that may be recommended, as every read here returns it. */
export interface ShelfCandidate extends Candidate, ShelfFields {}

export interface ScoredCandidate extends ShelfCandidate {
  score: number;
}

/** One product's neighbours or shop mates, with the product they were asked for. */
export interface RelatedCandidate extends ShelfCandidate {
  forProductId: string;
}

export interface RelatedRequest {
  productId: string;
  limit: number;
}

/**
 * The available listings `l` (joined with their shop `s`): what may be recommended. A listing or shop
 * without its shelf fields (a row kept before they were) cannot be shown, so it is not available either.
 */
const AVAILABLE = `l.stock > 0 AND s.status = 'ACTIVE' AND l.title IS NOT NULL AND s.name IS NOT NULL`;
const POPULARITY = `round(p.popularity_log2::numeric, ${POPULARITY_DECIMALS})`;
/** The ShelfFields of listing `l` and shop `s`. */
const SHELF = `l.title, l.price_minor AS "priceMinor", l.currency_code AS "currencyCode", s.name AS "sellerName"`;
const score = (expression: string) => `round((${expression})::numeric, ${SCORE_DECIMALS})`;

async function select<R>(db: SqlReader, name: string, text: string, values: unknown[]): Promise<R[]> {
  return (await db.query<R>({ name: `recommendations_${name}`, text, values })).rows;
}

const POPULAR = `
  SELECT l.product_id AS "productId", l.seller_id AS "sellerId", ${SHELF}
    FROM product_listings l
    JOIN seller_states s ON s.seller_id = l.seller_id
    LEFT JOIN product_stats p ON p.product_id = l.product_id
   WHERE ${AVAILABLE} AND l.product_id <> ALL($2::text[])
   ORDER BY ${POPULARITY} DESC NULLS LAST, l.listed_at DESC, l.product_id
   LIMIT $1`;

/**
 * Available products, most popular first; products never ordered follow, most recently listed first.
 * `exclude`: ids to leave out.
 */
export function findPopular(
  db: SqlReader,
  limit: number,
  exclude: readonly string[] = [],
): Promise<ShelfCandidate[]> {
  return select(db, 'popular', POPULAR, [limit, [...exclude]]);
}

// Σᵢ c(i, j) / √(c(i) c(j)) computed as (Σᵢ c(i, j) / √c(i)) / √c(j): c(j) is the same for every i. The
// CTEs are materialized so each part is planned on its own (one join tree of all seven tables took
// ~6 ms to plan). The buyer's products are read once (mine): they choose the products i, leave out
// every j the buyer has before summing, and follow the neighbours in the same statement (owned = true),
// since the service needs both and one round trip costs less than two.
const PERSONAL = `
  WITH mine AS MATERIALIZED (
    SELECT b.product_id, b.last_bought_at FROM buyer_products b WHERE b.buyer_id = $1
  ), summed AS MATERIALIZED (
    SELECT c.other_id, SUM(c.buyers / sqrt(st.buyers::float8)) AS partial
      FROM (SELECT product_id FROM mine ORDER BY last_bought_at DESC, product_id LIMIT ${OWNED_FOR_NEIGHBOURS}) r
      JOIN product_stats st ON st.product_id = r.product_id
      JOIN co_purchases c ON c.product_id = r.product_id
     WHERE c.other_id NOT IN (SELECT product_id FROM mine)
     GROUP BY c.other_id
  ), neighbours AS MATERIALIZED (
    SELECT n.other_id AS "productId", l.seller_id AS "sellerId", ${SHELF},
           n.partial / sqrt(p.buyers::float8) AS score
      FROM summed n
      JOIN product_stats p ON p.product_id = n.other_id
      JOIN product_listings l ON l.product_id = n.other_id
      JOIN seller_states s ON s.seller_id = l.seller_id
     WHERE ${AVAILABLE}
     ORDER BY ${score('n.partial / sqrt(p.buyers::float8)')} DESC, n.other_id
     LIMIT $2
  )
  SELECT * FROM (
    SELECT *, false AS owned FROM neighbours
    UNION ALL
    SELECT product_id, NULL, NULL, NULL, NULL, NULL, NULL, true FROM mine
  ) rows
  ORDER BY owned, ${score('score')} DESC NULLS LAST, "productId"`;

interface PersonalRow extends ScoredCandidate {
  owned: boolean;
}

/**
 * In one statement: the buyer's personal neighbours (for their OWNED_FOR_NEIGHBOURS most recently
 * bought products i, the available products j they do not have, scored Σᵢ c(i, j) / √(c(i) c(j)); best
 * first, at most `limit`), and every product the buyer has.
 */
export async function findPersonal(
  db: SqlReader,
  buyerId: string,
  limit: number,
): Promise<{ neighbours: ScoredCandidate[]; owned: string[] }> {
  const rows = await select<PersonalRow>(db, 'personal', PERSONAL, [buyerId, limit]);
  const neighbours: ScoredCandidate[] = [];
  const owned: string[] = [];
  for (const { owned: isOwned, ...candidate } of rows) {
    if (isOwned) owned.push(candidate.productId);
    else neighbours.push(candidate);
  }
  return { neighbours, owned };
}

const NEIGHBOURS = `
  SELECT "forProductId", "productId", "sellerId", title, "priceMinor", "currencyCode", "sellerName" FROM (
    SELECT w.id AS "forProductId", c.other_id AS "productId", l.seller_id AS "sellerId", ${SHELF}, w.lim,
           ROW_NUMBER() OVER (
             PARTITION BY w.id ORDER BY ${score('c.buyers / sqrt(si.buyers::float8 * sj.buyers)')} DESC, c.other_id
           ) AS rank
      FROM unnest($1::text[], $2::int[]) AS w(id, lim)
      JOIN co_purchases c ON c.product_id = w.id
      JOIN product_stats si ON si.product_id = c.product_id
      JOIN product_stats sj ON sj.product_id = c.other_id
      JOIN product_listings l ON l.product_id = c.other_id
      JOIN seller_states s ON s.seller_id = l.seller_id
     WHERE ${AVAILABLE}
  ) ranked
   WHERE rank <= lim
   ORDER BY "forProductId", rank`;

/** Each product's best `limit` available neighbours by c(i, j) / √(c(i) c(j)), in one statement. */
export function findNeighbours(
  db: SqlReader,
  requests: readonly RelatedRequest[],
): Promise<RelatedCandidate[]> {
  if (requests.length === 0) return Promise.resolve([]);
  return select(db, 'neighbours', NEIGHBOURS, [
    requests.map((r) => r.productId),
    requests.map((r) => r.limit),
  ]);
}

const SAME_SELLER = `
  SELECT w.id AS "forProductId", mate.product_id AS "productId", mate.seller_id AS "sellerId",
         mate.title, mate."priceMinor", mate."currencyCode", mate."sellerName"
    FROM unnest($1::text[], $2::int[]) AS w(id, lim)
    JOIN product_listings me ON me.product_id = w.id
    CROSS JOIN LATERAL (
      SELECT l.product_id, l.seller_id, ${SHELF},
             ROW_NUMBER() OVER (ORDER BY ${POPULARITY} DESC NULLS LAST, l.listed_at DESC, l.product_id) AS rank
        FROM product_listings l
        JOIN seller_states s ON s.seller_id = l.seller_id
        LEFT JOIN product_stats p ON p.product_id = l.product_id
       WHERE l.seller_id = me.seller_id AND l.product_id <> w.id AND ${AVAILABLE}
       ORDER BY rank
       LIMIT w.lim
    ) mate
   ORDER BY w.id, mate.rank`;

/**
 * "More from this seller": for each product, up to `limit` other available products of its shop, most
 * popular first (then most recently listed), in one statement. A product not listed here has none.
 */
export function findSameSeller(
  db: SqlReader,
  requests: readonly RelatedRequest[],
): Promise<RelatedCandidate[]> {
  if (requests.length === 0) return Promise.resolve([]);
  return select(db, 'same_seller', SAME_SELLER, [
    requests.map((r) => r.productId),
    requests.map((r) => r.limit),
  ]);
}
