// Product listings in raw SQL: full-text match and rank, descendant categories and keyset pagination
// cannot be expressed in Prisma's query builder. Every value goes in as a bind parameter (Prisma.sql).
import { currencyExponent } from '@mp/kit';
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';
import { fromRaw, type ProductRow, type RawProduct } from './product.repository.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export type ProductOrder = 'RELEVANCE' | 'NEWEST' | 'PRICE_ASC' | 'PRICE_DESC' | 'RATING';

/** The sort key of the last row of the previous page; the next page starts strictly after it. */
export type Keyset =
  | { order: 'NEWEST'; createdAt: string; id: string }
  | { order: 'PRICE_ASC' | 'PRICE_DESC'; priceMinor: string; id: string }
  | { order: 'RATING'; ratingAverage: string; ratingCount: number; id: string }
  | { order: 'RELEVANCE'; rank: number; id: string };

export interface ProductMatch {
  /** A websearch_to_tsquery string, already trimmed and length-checked. */
  search: string | null;
  /** The category or any of its descendants. */
  categoryId: string | null;
  sellerId: string | null;
  /** Validated non-negative decimal strings in each product's own currency (major units). */
  minPrice: string | null;
  maxPrice: string | null;
  inStock: boolean | null;
  /** This shop's products are included even when it is not ACTIVE (the seller's own view). */
  ownSellerId: string | null;
}

export interface PageQuery extends ProductMatch {
  order: ProductOrder;
  after: Keyset | null;
  /** Rows to fetch (page size + 1 to learn whether a next page exists). */
  limit: number;
}

/** A listed product plus the values its cursor is made of. */
export interface ListedProduct extends ProductRow {
  ratingAverage: string;
  ratingCount: number;
  rank: number;
}

interface RawListedProduct extends RawProduct {
  rating_average_text: string;
  rating_count: number;
  rank: number;
}

function toListed(row: RawListedProduct): ListedProduct {
  return {
    ...fromRaw(row),
    ratingAverage: row.rating_average_text,
    ratingCount: Number(row.rating_count),
    rank: Number(row.rank),
  };
}

const COLUMNS = Prisma.sql`p.id, p.seller_id, p.category_id, p.title, p.description, p.price_minor,
  p.currency_code, p.stock, p.images, p.attributes, p.created_at, p.updated_at, p.rating_average,
  p.rating_average::text AS rating_average_text, p.rating_count`;

// Minor-unit exponents that differ from the usual 2 (JPY 0, BHD 3, …), so a price bound given in major
// units compares correctly with each product's own currency.
const UNUSUAL_EXPONENTS = JSON.stringify(
  Object.fromEntries(
    Intl.supportedValuesOf('currency')
      .map((code) => [code, currencyExponent(code)] as const)
      .filter(([, exponent]) => exponent !== 2),
  ),
);
const PRICE_SCALE = Prisma.sql`power(10::numeric, coalesce((${UNUSUAL_EXPONENTS}::jsonb ->> p.currency_code)::int, 2))`;

function visible(ownSellerId: string | null): Prisma.Sql {
  const active = Prisma.sql`EXISTS (SELECT 1 FROM seller_states s WHERE s.seller_id = p.seller_id AND s.status = 'ACTIVE')`;
  return ownSellerId === null ? active : Prisma.sql`(p.seller_id = ${ownSellerId} OR ${active})`;
}

function conditions(match: ProductMatch): Prisma.Sql {
  const parts: Prisma.Sql[] = [visible(match.ownSellerId)];
  if (match.search !== null) {
    parts.push(Prisma.sql`p.search_vector @@ websearch_to_tsquery('english', ${match.search})`);
  }
  if (match.categoryId !== null) {
    // UNION (not UNION ALL) also ends the recursion should the tree ever contain a cycle.
    parts.push(Prisma.sql`p.category_id IN (
      WITH RECURSIVE tree(id) AS (
        SELECT id FROM categories WHERE id = ${match.categoryId}
        UNION SELECT c.id FROM categories c JOIN tree ON c.parent_id = tree.id
      ) SELECT id FROM tree)`);
  }
  if (match.sellerId !== null) parts.push(Prisma.sql`p.seller_id = ${match.sellerId}`);
  if (match.minPrice !== null)
    parts.push(Prisma.sql`p.price_minor >= ${match.minPrice}::numeric * ${PRICE_SCALE}`);
  if (match.maxPrice !== null)
    parts.push(Prisma.sql`p.price_minor <= ${match.maxPrice}::numeric * ${PRICE_SCALE}`);
  if (match.inStock === true) parts.push(Prisma.sql`p.stock > 0`);
  if (match.inStock === false) parts.push(Prisma.sql`p.stock = 0`);
  return Prisma.join(parts, ' AND ');
}

function rank(search: string | null): Prisma.Sql {
  return search === null
    ? Prisma.sql`0::float8 AS rank`
    : Prisma.sql`ts_rank(p.search_vector, websearch_to_tsquery('english', ${search}))::float8 AS rank`;
}

const ORDER_BY: Record<ProductOrder, Prisma.Sql> = {
  NEWEST: Prisma.sql`q.created_at DESC, q.id DESC`,
  PRICE_ASC: Prisma.sql`q.price_minor ASC, q.id ASC`,
  PRICE_DESC: Prisma.sql`q.price_minor DESC, q.id DESC`,
  RATING: Prisma.sql`q.rating_average DESC, q.rating_count DESC, q.id DESC`,
  RELEVANCE: Prisma.sql`q.rank DESC, q.id DESC`,
};

function startingAfter(after: Keyset | null): Prisma.Sql {
  if (after === null) return Prisma.sql`TRUE`;
  switch (after.order) {
    case 'NEWEST':
      return Prisma.sql`(q.created_at, q.id) < (${after.createdAt}::timestamptz, ${after.id})`;
    case 'PRICE_ASC':
      return Prisma.sql`(q.price_minor, q.id) > (${after.priceMinor}::bigint, ${after.id})`;
    case 'PRICE_DESC':
      return Prisma.sql`(q.price_minor, q.id) < (${after.priceMinor}::bigint, ${after.id})`;
    case 'RATING':
      return Prisma.sql`(q.rating_average, q.rating_count, q.id) < (${after.ratingAverage}::numeric, ${after.ratingCount}::int, ${after.id})`;
    case 'RELEVANCE':
      // Sent as text so the float8 compares bit for bit with the rank computed for the row.
      return Prisma.sql`(q.rank, q.id) < (${String(after.rank)}::float8, ${after.id})`;
  }
}

/** One page (up to `limit` rows) in one statement. */
export async function findPage(db: Db, query: PageQuery): Promise<ListedProduct[]> {
  const rows = await db.$queryRaw<RawListedProduct[]>`
    SELECT * FROM (
      SELECT ${COLUMNS}, ${rank(query.search)} FROM products p WHERE ${conditions(query)}
    ) q
    WHERE ${startingAfter(query.after)}
    ORDER BY ${ORDER_BY[query.order]}
    LIMIT ${query.limit}::int`;
  return rows.map(toListed);
}

/** How many products match, in one statement. */
export async function countMatching(db: Db, match: ProductMatch): Promise<number> {
  const [row] = await db.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM products p WHERE ${conditions(match)}`;
  return Number(row?.total ?? 0);
}

export interface SellerFirstPage {
  sellerId: string;
  rows: ListedProduct[];
  totalCount: number;
}

/**
 * The first `limit` products (newest first) of each of many shops plus each shop's total, in one
 * statement: a window function numbers and counts each shop's products.
 */
export async function findFirstPagesOfSellers(
  db: Db,
  sellerIds: readonly string[],
  limit: number,
  ownSellerId: string | null,
): Promise<SellerFirstPage[]> {
  if (sellerIds.length === 0) return [];
  const rows = await db.$queryRaw<(RawListedProduct & { total: number })[]>`
    SELECT * FROM (
      SELECT ${COLUMNS}, 0::float8 AS rank,
             row_number() OVER (PARTITION BY p.seller_id ORDER BY p.created_at DESC, p.id DESC) AS position,
             (count(*) OVER (PARTITION BY p.seller_id))::int AS total
        FROM products p
       WHERE p.seller_id IN (${Prisma.join([...sellerIds])}) AND ${visible(ownSellerId)}
    ) q
    WHERE q.position <= ${limit}::int
    ORDER BY q.seller_id, q.position`;
  const pages = new Map<string, SellerFirstPage>(
    sellerIds.map((sellerId) => [sellerId, { sellerId, rows: [], totalCount: 0 }]),
  );
  for (const row of rows) {
    const page = pages.get(row.seller_id);
    if (!page) continue;
    page.rows.push(toListed(row));
    page.totalCount = Number(row.total);
  }
  return [...pages.values()];
}
