import type { UserError as KitUserError } from '@mp/kit';
import type { Context } from '../context.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import type { ReviewRow } from '../repositories/review.repository.ts';

export type UserError = KitUserError<UserErrorCode>;

/** What addReview and moderateReview answer: the review after the change, or why nothing changed. */
export interface ReviewPayload {
  review: ReviewRow | null;
  userErrors: UserError[];
}

export const failed = (...userErrors: UserError[]): ReviewPayload => ({ review: null, userErrors });

/** A written review as the payload carries it; later lookups in the same request see the new state. */
export function succeeded(ctx: Context, review: ReviewRow): ReviewPayload {
  ctx.loaders.reviewById.clear(review.id).prime(review.id, review);
  return { review, userErrors: [] };
}
