import { pageSize, toConnection, userError } from '@mp/kit';
import type { Context } from '../context.ts';
import { enqueueReviewApproved, enqueueReviewRejected } from '../events/review-events.ts';
import type { ReviewDecision } from '../generated/graphql.ts';
import * as ratings from '../repositories/rating.repository.ts';
import * as reviews from '../repositories/review.repository.ts';
import { parseReviewCursor, reviewCursor } from './review-cursor.ts';
import { quote } from './review-input.ts';
import { failed, succeeded, type ReviewPayload } from './review-payload.ts';
import type { ReviewConnection } from './review.service.ts';

/**
 * The moderation queue, oldest first. Access (admin scope) is declared in the schema and enforced by the
 * server kit before this runs.
 */
export async function pendingReviews(
  ctx: Context,
  args: { first: number; after?: string | null },
): Promise<ReviewConnection> {
  const first = pageSize(args.first);
  const after = args.after == null ? null : parseReviewCursor(args.after);
  // One row past the page tells whether there is a next page.
  const rows = await reviews.findPendingOldestFirst(ctx.prisma, after, first + 1);
  return {
    ...toConnection(rows, first, reviewCursor, after !== null),
    totalCount: () => reviews.countPending(ctx.prisma),
  };
}

const DECIDED_STATUS = { APPROVE: 'APPROVED', REJECT: 'REJECTED' } as const;

/**
 * An admin's decision on a PENDING review: APPROVE counts it in the ratings, REJECT hides it for good.
 * The status change, the rating update and the event commit together; the conditional update makes a
 * review decided at most once, however many admins click at the same time.
 */
export async function moderateReview(
  ctx: Context,
  id: string,
  decision: ReviewDecision,
): Promise<ReviewPayload> {
  const status = DECIDED_STATUS[decision];
  const outcome = await ctx.prisma.$transaction(async (tx) => {
    const decided = await reviews.decidePending(tx, id, status);
    if (!decided) return { decided: null, current: await reviews.findStatusById(tx, id) };
    if (decided.status === 'APPROVED') {
      await ratings.applyApprovedRating(tx, decided);
      await enqueueReviewApproved(tx, decided);
    } else {
      await enqueueReviewRejected(tx, decided);
    }
    return { decided, current: decided };
  });
  if (outcome.decided) return succeeded(ctx, outcome.decided);
  if (!outcome.current) {
    return failed(userError(['id'], `Review ${quote(id, 64)} was not found`, 'NOT_FOUND'));
  }
  return failed(
    userError(
      ['id'],
      `Review ${quote(id, 64)} is already ${outcome.current.status}; only PENDING reviews can be moderated`,
      'INVALID_STATUS',
    ),
  );
}
