import type { EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import { countApprovedReview } from '../services/product-rating.service.ts';

/**
 * `review.approved` (reviews emits it for every approved review, auto-approved ones included) → the
 * product's `rating_sum`/`rating_count`/`rating_average`, which drive the RATING sort.
 */
export async function handleReviewApproved(
  tx: Prisma.TransactionClient,
  data: EventData<'review.approved'>,
): Promise<void> {
  await countApprovedReview(tx, data);
}
