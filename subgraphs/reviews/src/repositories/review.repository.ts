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
  moderationReason: true,
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
  /** Why auto-moderation held the review for an admin; null when it passed. */
  moderationReason: string | null;
  createdAt: Date;
}

export interface NewReview extends ReviewRow {
  sellerId: string;
  moderatedAt: Date | null;
}

/** A review with the seller its rating counts for: what review events and rating updates need. */
export interface ReviewWithSeller extends ReviewRow {
  sellerId: string;
}

/** A review as `createUnlessReviewed` writes it; the database sets `createdAt`. */
export type ReviewDraft = Omit<NewReview, 'createdAt'>;

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
           ranked.title, ranked.body, ranked.status, ranked.moderation_reason AS "moderationReason",
           ranked.created_at AS "createdAt"
      FROM (
        SELECT r.id, r.product_id, r.author_id, r.rating, r.title, r.body, r.status, r.moderation_reason,
               r.created_at,
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

/** The moderation queue: PENDING reviews after `after` (if given), oldest first (`createdAt, id`). */
export function findPendingOldestFirst(
  db: Db,
  after: ReviewPosition | null,
  limit: number,
): Promise<ReviewRow[]> {
  return db.review.findMany({
    where: {
      status: 'PENDING',
      // `gte` lets the (status, created_at) index seek to the cursor; the OR drops the cursor row and ties before it.
      ...(after && {
        createdAt: { gte: after.createdAt },
        OR: [{ createdAt: { gt: after.createdAt } }, { id: { gt: after.id } }],
      }),
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: reviewSelect,
  });
}

export function countPending(db: Db): Promise<number> {
  return db.review.count({ where: { status: 'PENDING' } });
}

export function findStatusById(db: Db, id: string): Promise<{ status: ReviewStatus } | null> {
  return db.review.findUnique({ where: { id }, select: { status: true } });
}

/**
 * Inserts a review unless its author already reviewed the product: then nothing is written and the
 * result is null. The unique (author_id, product_id) index decides, so two concurrent submissions
 * cannot both succeed.
 */
export async function createUnlessReviewed(db: Db, draft: ReviewDraft): Promise<ReviewWithSeller | null> {
  const [created] = await db.review.createManyAndReturn({
    data: [draft],
    skipDuplicates: true,
    select: { ...reviewSelect, sellerId: true },
  });
  return created ?? null;
}

/**
 * Moves a PENDING review to `status` and returns it; null when the review does not exist or is no longer
 * PENDING. One conditional UPDATE: a concurrent decision on the same review waits for the row lock, then
 * finds it no longer PENDING, so a review is decided (and counted in ratings) exactly once.
 */
export async function decidePending(
  db: Db,
  id: string,
  status: 'APPROVED' | 'REJECTED',
): Promise<ReviewWithSeller | null> {
  const [decided] = await db.$queryRaw<ReviewWithSeller[]>`
    UPDATE reviews
       SET status = ${status}::"ReviewStatus", moderated_at = now()
     WHERE id = ${id} AND status = 'PENDING'
    RETURNING id, product_id AS "productId", seller_id AS "sellerId", author_id AS "authorId", rating, title,
              body, status, moderation_reason AS "moderationReason", created_at AS "createdAt"`;
  return decided ?? null;
}

export async function createMany(db: Db, reviews: readonly NewReview[]): Promise<number> {
  const { count } = await db.review.createMany({ data: [...reviews] });
  return count;
}

export function count(db: Db): Promise<number> {
  return db.review.count();
}
