import { Prisma, type PrismaClient, type ReviewStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const reviewSelect = {
  id: true,
  productId: true,
  authorId: true,
  rating: true,
  title: true,
  body: true,
  status: true,
  createdAt: true,
} as const;

export interface ReviewRow {
  id: string;
  productId: string;
  authorId: string;
  rating: number;
  title: string;
  body: string;
  status: ReviewStatus;
  createdAt: Date;
}

export interface NewReview extends ReviewRow {
  sellerId: string;
  moderatedAt: Date | null;
}

/** How many of a product's newest approved reviews to read. */
export interface PageRequest {
  productId: string;
  limit: number;
}

/** Where a page continues: strictly older than this review in (createdAt desc, id desc) order. */
export interface ReviewPosition {
  createdAt: Date;
  id: string;
}

export function findByIds(db: Db, ids: readonly string[]): Promise<ReviewRow[]> {
  return db.review.findMany({ where: { id: { in: [...ids] } }, select: reviewSelect });
}

/**
 * The newest approved reviews of many products in ONE statement, each product with its own limit: a
 * window numbers every product's reviews newest first, and rows past the product's limit are dropped.
 * Product ids must be distinct. Rows come grouped by product, newest first.
 */
export function findNewestApprovedByProducts(db: Db, requests: readonly PageRequest[]): Promise<ReviewRow[]> {
  if (requests.length === 0) return Promise.resolve([]);
  const wanted = Prisma.join(requests.map((r) => Prisma.sql`(${r.productId}::text, ${r.limit}::int)`));
  return db.$queryRaw<ReviewRow[]>(Prisma.sql`
    WITH wanted (product_id, row_limit) AS (VALUES ${wanted})
    SELECT ranked.id, ranked.product_id AS "productId", ranked.author_id AS "authorId", ranked.rating,
           ranked.title, ranked.body, ranked.status, ranked.created_at AS "createdAt"
      FROM (
        SELECT r.id, r.product_id, r.author_id, r.rating, r.title, r.body, r.status, r.created_at,
               ROW_NUMBER() OVER (PARTITION BY r.product_id ORDER BY r.created_at DESC, r.id DESC) AS position
          FROM reviews r
         WHERE r.status = 'APPROVED' AND r.product_id IN (SELECT product_id FROM wanted)
      ) ranked
      JOIN wanted ON wanted.product_id = ranked.product_id
     WHERE ranked.position <= wanted.row_limit
     ORDER BY ranked.product_id, ranked.position`);
}

/** One product's approved reviews older than `after`, newest first (for pages after the first). */
export function findApprovedByProductAfter(
  db: Db,
  productId: string,
  after: ReviewPosition,
  limit: number,
): Promise<ReviewRow[]> {
  return db.review.findMany({
    where: {
      productId,
      status: 'APPROVED',
      // `lte` lets the index seek to the cursor; the OR then drops the cursor row and its newer ties.
      createdAt: { lte: after.createdAt },
      OR: [{ createdAt: { lt: after.createdAt } }, { id: { lt: after.id } }],
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: reviewSelect,
  });
}

export async function createMany(db: Db, reviews: readonly NewReview[]): Promise<number> {
  const { count } = await db.review.createMany({ data: [...reviews] });
  return count;
}

export function count(db: Db): Promise<number> {
  return db.review.count();
}
