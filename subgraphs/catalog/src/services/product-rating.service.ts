import type { Prisma } from '../generated/prisma/client.ts';
import * as productRatings from '../repositories/product-rating.repository.ts';

export interface ReviewDecision {
  reviewId: string;
  productId: string;
  rating: number;
  /** PENDING reviews do not count (yet): their `review.approved` comes later. */
  status: 'PENDING' | 'APPROVED';
}

/**
 * Adds an approved review's rating to its product's RATING-sort columns, once per review: reviews
 * announces an auto-approved review twice (`review.submitted` APPROVED, then `review.approved`), and
 * either may be redelivered. A review of a product catalog does not have changes nothing. Returns
 * whether the rating was counted now.
 */
export async function countApprovedReview(
  tx: Prisma.TransactionClient,
  review: ReviewDecision,
): Promise<boolean> {
  if (review.status !== 'APPROVED') return false;
  return productRatings.countReview(tx, {
    id: review.reviewId,
    productId: review.productId,
    rating: review.rating,
  });
}
