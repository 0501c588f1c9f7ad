import type { Prisma } from '../generated/prisma/client.ts';
import * as productRatings from '../repositories/product-rating.repository.ts';

export interface ReviewDecision {
  reviewId: string;
  productId: string;
  rating: number;
}

/**
 * Adds an approved review's rating to its product's RATING-sort columns, once per review (a review id
 * is recorded, so a second announcement of the same approval changes nothing). A review of a product
 * catalog does not have changes nothing. Returns whether the rating was counted now.
 */
export async function countApprovedReview(
  tx: Prisma.TransactionClient,
  review: ReviewDecision,
): Promise<boolean> {
  return productRatings.countReview(tx, {
    id: review.reviewId,
    productId: review.productId,
    rating: review.rating,
  });
}
