// What the feeds read. The popular feed and "more from this seller" are ranked here, in SQL, and only
// ever list products that may be recommended right now (listed here, stock above zero, shop ACTIVE).
// Neighbours (`alsoBought`, personal feeds) are scored in TypeScript (model/neighbour-scores.ts) from
// the model's rows of each product (neighbourhoods), which are the same for every caller and so are
// cached (services/neighbourhoods.ts); a personal feed also reads what the buyer has, never cached.
//
// These run on every request, so they are named prepared statements on the subgraph's (counted) pg pool
// rather than Prisma's $queryRaw: PostgreSQL then plans each once per connection. Measured on the demo
// data, planning the joins took 1–6 ms per execution against 0.1–1 ms executing them, and Prisma added
// about 0.7 ms of CPU per statement in the subgraph's process. The consumer's writes stay on Prisma.
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

/** One product's shop mates, with the product they were asked for. */
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

const HOLDINGS = `
  SELECT w.slot::int AS slot, b.product_id AS "productId"
    FROM unnest($1::text[]) WITH ORDINALITY AS w(buyer_id, slot)
    JOIN buyer_products b ON b.buyer_id = w.buyer_id
   ORDER BY w.slot, b.last_bought_at DESC, b.product_id`;

/**
 * For each buyer, in one statement: every product they have, most recently bought first (ties by id).
 * (purchase.repository.ts's findOwned reads the same for the consumer's transactions, through Prisma.)
 * The answers are in the order of `buyerIds`; a buyer asked for twice gets two answers.
 */
export async function findHoldings(db: SqlReader, buyerIds: readonly string[]): Promise<string[][]> {
  const answers = buyerIds.map((): string[] => []);
  if (buyerIds.length === 0) return answers;
  const rows = await select<{ slot: number; productId: string }>(db, 'holdings', HOLDINGS, [[...buyerIds]]);
  for (const { slot, productId } of rows) answers[slot - 1]!.push(productId);
  return answers;
}

/** A product bought together with another, with the counts its score comes from. */
export interface Neighbour {
  productId: string;
  /** c(i, j): buyers who have both. */
  pairBuyers: number;
  /** c(j): buyers who have this one; null when it has no counts (it then cannot be scored). */
  buyers: number | null;
  /** What a shelf shows of it, or null when it may not be recommended right now. */
  candidate: ShelfCandidate | null;
}

/** One product's row of the co-purchase model: c(i) and every product bought together with it. */
export interface Neighbourhood {
  buyers: number;
  neighbours: Neighbour[];
}

interface NeighbourRow extends Partial<ShelfFields> {
  forProductId: string;
  forBuyers: number;
  productId: string;
  pairBuyers: number;
  buyers: number | null;
  sellerId: string | null;
  available: boolean;
}

// Every neighbour, available or not: a cached neighbourhood must list each product whose change can
// change it (services/neighbourhoods.ts).
const NEIGHBOURHOODS = `
  SELECT c.product_id AS "forProductId", si.buyers AS "forBuyers", c.other_id AS "productId",
         c.buyers AS "pairBuyers", sj.buyers, l.seller_id AS "sellerId", ${SHELF},
         COALESCE(${AVAILABLE}, false) AS available
    FROM unnest($1::text[]) AS w(id)
    JOIN product_stats si ON si.product_id = w.id
    JOIN co_purchases c ON c.product_id = w.id
    LEFT JOIN product_stats sj ON sj.product_id = c.other_id
    LEFT JOIN product_listings l ON l.product_id = c.other_id
    LEFT JOIN seller_states s ON s.seller_id = l.seller_id`;

/**
 * The model's rows of these products, in one statement: c(i) and every c(i, j) with c(j), and the
 * shelf fields of each j that may be recommended now. A product nobody bought with another has an
 * empty neighbourhood.
 */
export async function findNeighbourhoods(
  db: SqlReader,
  productIds: readonly string[],
): Promise<Map<string, Neighbourhood>> {
  const found = new Map(productIds.map((id): [string, Neighbourhood] => [id, { buyers: 0, neighbours: [] }]));
  if (productIds.length === 0) return found;
  const rows = await select<NeighbourRow>(db, 'neighbourhoods', NEIGHBOURHOODS, [[...productIds]]);
  for (const row of rows) {
    const neighbourhood = found.get(row.forProductId)!;
    neighbourhood.buyers = row.forBuyers;
    neighbourhood.neighbours.push({
      productId: row.productId,
      pairBuyers: row.pairBuyers,
      buyers: row.buyers,
      candidate: row.available
        ? {
            productId: row.productId,
            sellerId: row.sellerId!,
            title: row.title!,
            priceMinor: row.priceMinor!,
            currencyCode: row.currencyCode!,
            sellerName: row.sellerName!,
          }
        : null,
    });
  }
  return found;
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
