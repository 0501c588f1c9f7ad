// Products' copies of their review ratings (RATING sort only; reviews owns the real numbers).
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface CountedReview {
  /** The review's id in the reviews subgraph. */
  id: string;
  productId: string;
  /** 1–5 stars. */
  rating: number;
}

/**
 * Records the review as counted and adds its rating to the product's `rating_sum`/`rating_count`
 * (and the 2-decimal `rating_average` they give), in one statement. Returns false, changing nothing,
 * when the review was counted before or the product does not exist. The product row's lock makes
 * concurrent reviews of one product add up.
 */
export async function countReview(db: Db, review: CountedReview): Promise<boolean> {
  const changed = await db.$executeRaw`
    WITH counted AS (
      INSERT INTO product_review_ratings (review_id, product_id, rating)
      SELECT ${review.id}, p.id, ${review.rating}::int FROM products p WHERE p.id = ${review.productId}
      ON CONFLICT (review_id) DO NOTHING
      RETURNING product_id, rating
    )
    UPDATE products p
       SET rating_sum = p.rating_sum + c.rating,
           rating_count = p.rating_count + 1,
           rating_average = round((p.rating_sum + c.rating)::numeric / (p.rating_count + 1), 2)
      FROM counted c
     WHERE p.id = c.product_id`;
  return changed > 0;
}

/** Records reviews as counted without touching the products (the seed sets their totals itself). */
export function recordMany(db: Db, reviews: readonly CountedReview[]): Promise<Prisma.BatchPayload> {
  return db.productReviewRating.createMany({
    data: reviews.map(({ id, productId, rating }) => ({ reviewId: id, productId, rating })),
    skipDuplicates: true,
  });
}
