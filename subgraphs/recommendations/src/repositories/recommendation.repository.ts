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

// For a batch of requests at once (services/personal-feeds.ts gathers the requests that arrive
// together), each request a slot of its own, computed independently, even for the same buyer.
// Σᵢ c(i, j) / √(c(i) c(j)) computed as (Σᵢ c(i, j) / √c(i)) / √c(j): c(j) is the same for every i. The
// CTEs are materialized so each part is planned on its own (one join tree of all seven tables took
// ~6 ms to plan). The buyers' products are read once (mine): they choose the products i (each slot's
// most recent), leave out every j the slot's buyer has before summing, and are returned with the
// neighbours (owned = true), since the service needs both and one round trip costs less than two.
const PERSONAL = `
  WITH slots AS MATERIALIZED (
    SELECT buyer_id, lim, slot::int AS slot
      FROM unnest($1::text[], $2::int[]) WITH ORDINALITY AS w(buyer_id, lim, slot)
  ), mine AS MATERIALIZED (
    SELECT w.slot, b.product_id,
           ROW_NUMBER() OVER (PARTITION BY w.slot ORDER BY b.last_bought_at DESC, b.product_id) AS recency
      FROM slots w JOIN buyer_products b ON b.buyer_id = w.buyer_id
  ), summed AS MATERIALIZED (
    SELECT r.slot, c.other_id, SUM(c.buyers / sqrt(st.buyers::float8)) AS partial
      FROM mine r
      JOIN product_stats st ON st.product_id = r.product_id
      JOIN co_purchases c ON c.product_id = r.product_id
     WHERE r.recency <= ${OWNED_FOR_NEIGHBOURS}
       AND NOT EXISTS (SELECT 1 FROM mine o WHERE o.slot = r.slot AND o.product_id = c.other_id)
     GROUP BY r.slot, c.other_id
  ), ranked AS MATERIALIZED (
    SELECT n.slot, n.other_id AS "productId", l.seller_id AS "sellerId", ${SHELF},
           n.partial / sqrt(p.buyers::float8) AS score,
           ROW_NUMBER() OVER (
             PARTITION BY n.slot ORDER BY ${score('n.partial / sqrt(p.buyers::float8)')} DESC, n.other_id
           ) AS rank
      FROM summed n
      JOIN product_stats p ON p.product_id = n.other_id
      JOIN product_listings l ON l.product_id = n.other_id
      JOIN seller_states s ON s.seller_id = l.seller_id
     WHERE ${AVAILABLE}
  )
  SELECT r.slot, r."productId", r."sellerId", r.title, r."priceMinor", r."currencyCode", r."sellerName",
         r.score, r.rank, false AS owned
    FROM ranked r JOIN slots w ON w.slot = r.slot
   WHERE r.rank <= w.lim
   UNION ALL
  SELECT slot, product_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, true FROM mine
   ORDER BY slot, owned, rank`;

/** One buyer's personal feed to read: its neighbours, at most `limit`. */
export interface PersonalRequest {
  buyerId: string;
  limit: number;
}

/** A buyer's neighbours (best first) and every product the buyer has. */
export interface PersonalRows {
  neighbours: ScoredCandidate[];
  owned: string[];
}

interface PersonalRow extends ScoredCandidate {
  /** 1-based position of the request in the batch. */
  slot: number;
  /** The neighbour's place in its slot (a BIGINT, so a string); null on owned rows. */
  rank: string | null;
  owned: boolean;
}

/**
 * For each request, in one statement: the buyer's personal neighbours (for their OWNED_FOR_NEIGHBOURS
 * most recently bought products i, the available products j they do not have, scored
 * Σᵢ c(i, j) / √(c(i) c(j)); best first, at most `limit`), and every product the buyer has. The answers
 * are in the order of the requests.
 */
export async function findPersonal(
  db: SqlReader,
  requests: readonly PersonalRequest[],
): Promise<PersonalRows[]> {
  const answers = requests.map((): PersonalRows => ({ neighbours: [], owned: [] }));
  if (requests.length === 0) return answers;
  const rows = await select<PersonalRow>(db, 'personal', PERSONAL, [
    requests.map((r) => r.buyerId),
    requests.map((r) => r.limit),
  ]);
  for (const { slot, rank: _rank, owned: isOwned, ...candidate } of rows) {
    const answer = answers[slot - 1]!;
    if (isOwned) answer.owned.push(candidate.productId);
    else answer.neighbours.push(candidate);
  }
  return answers;
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
