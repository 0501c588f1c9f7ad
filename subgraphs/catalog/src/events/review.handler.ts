import type { EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import { countApprovedReview } from '../services/product-rating.service.ts';

/**
 * `review.submitted` (counted when auto-moderation approved it) and `review.approved` → the product's
 * `rating_sum`/`rating_count`/`rating_average`, which drive the RATING sort. Each review counts once.
 */
export async function handleReviewApproved(
  tx: Prisma.TransactionClient,
  data: EventData<'review.submitted'> | EventData<'review.approved'>,
): Promise<void> {
  const status = 'status' in data ? data.status : 'APPROVED';
  await countApprovedReview(tx, { ...data, status });
}
