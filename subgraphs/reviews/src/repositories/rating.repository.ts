import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Running totals of approved ratings, of one product or one seller. */
export interface RatingTotals {
  ratingSum: number;
  ratingCount: number;
}

export interface ProductRatingRow extends RatingTotals {
  productId: string;
}

export interface SellerRatingRow extends RatingTotals {
  sellerId: string;
}

export function findByProductIds(db: Db, productIds: readonly string[]): Promise<ProductRatingRow[]> {
  return db.productRating.findMany({
    where: { productId: { in: [...productIds] } },
    select: { productId: true, ratingSum: true, ratingCount: true },
  });
}

export function findBySellerIds(db: Db, sellerIds: readonly string[]): Promise<SellerRatingRow[]> {
  return db.sellerRating.findMany({
    where: { sellerId: { in: [...sellerIds] } },
    select: { sellerId: true, ratingSum: true, ratingCount: true },
  });
}

/**
 * Adds one approved rating to its product's and its seller's totals. Call it in the same transaction
 * that approves the review, exactly once per approval. Upserts are atomic increments, so concurrent
 * approvals of reviews of the same product never lose an update.
 */
export async function applyApprovedRating(
  tx: Db,
  approved: { productId: string; sellerId: string; rating: number },
): Promise<void> {
  const { productId, sellerId, rating } = approved;
  await tx.$executeRaw`
    INSERT INTO product_ratings (product_id, seller_id, rating_sum, rating_count)
    VALUES (${productId}, ${sellerId}, ${rating}::int, 1)
    ON CONFLICT (product_id) DO UPDATE
      SET rating_sum = product_ratings.rating_sum + EXCLUDED.rating_sum,
          rating_count = product_ratings.rating_count + 1`;
  await tx.$executeRaw`
    INSERT INTO seller_ratings (seller_id, rating_sum, rating_count)
    VALUES (${sellerId}, ${rating}::int, 1)
    ON CONFLICT (seller_id) DO UPDATE
      SET rating_sum = seller_ratings.rating_sum + EXCLUDED.rating_sum,
          rating_count = seller_ratings.rating_count + 1`;
}
