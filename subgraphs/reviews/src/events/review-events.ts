// Reviews' outgoing events. Each is written with `enqueueEvent` inside the transaction of the change it
// describes, after the statement that wrote the review row; aggregateId = review id.
import { enqueueEvent, type EventData, type SqlTx } from '@mp/events';
import type { ReviewWithSeller } from '../repositories/review.repository.ts';

type ReviewRef = EventData<'review.approved'>;

function reviewRef(review: ReviewWithSeller): ReviewRef {
  return {
    reviewId: review.id,
    productId: review.productId,
    sellerId: review.sellerId,
    authorId: review.authorId,
    rating: review.rating,
  };
}

/** A new review; `status` tells whether auto-moderation approved it or an admin must decide. */
export async function enqueueReviewSubmitted(tx: SqlTx, review: ReviewWithSeller): Promise<void> {
  if (review.status === 'REJECTED') throw new Error(`A new review cannot be REJECTED (review ${review.id})`);
  await enqueueEvent(tx, 'review.submitted', review.id, { ...reviewRef(review), status: review.status });
}

/** The review now counts in its product's and seller's rating (auto-moderation or an admin). */
export async function enqueueReviewApproved(tx: SqlTx, review: ReviewWithSeller): Promise<void> {
  await enqueueEvent(tx, 'review.approved', review.id, reviewRef(review));
}

export async function enqueueReviewRejected(tx: SqlTx, review: ReviewWithSeller): Promise<void> {
  await enqueueEvent(tx, 'review.rejected', review.id, reviewRef(review));
}
