import { randomUUID } from 'node:crypto';
import { unauthenticated, userError } from '@mp/kit';
import type { Context } from '../context.ts';
import { enqueueReviewApproved, enqueueReviewSubmitted } from '../events/review-events.ts';
import type { AddReviewInput } from '../generated/graphql.ts';
import * as ratings from '../repositories/rating.repository.ts';
import * as receivedProducts from '../repositories/received-product.repository.ts';
import * as reviews from '../repositories/review.repository.ts';
import { autoModerate } from './auto-moderation.ts';
import { failed, succeeded, type ReviewPayload, type UserError } from './review-payload.ts';
import { checkReviewInput, quote } from './review-input.ts';

const notReceived = (productId: string): UserError =>
  userError(
    ['input', 'productId'],
    `You can review product ${quote(productId, 64)} only after it was delivered to you`,
    'NOT_RECEIVED',
  );

const alreadyReviewed = (productId: string): UserError =>
  userError(
    ['input', 'productId'],
    `You have already reviewed product ${quote(productId, 64)}; each product can be reviewed once`,
    'ALREADY_REVIEWED',
  );

/**
 * Writes the caller's review of a product delivered to them. Auto-moderation decides its status at
 * once; an APPROVED review is counted in the product's and the seller's rating in the same transaction
 * as the row and its events (`review.submitted`, plus `review.approved`). Nothing is written unless every
 * check passes.
 */
export async function addReview(ctx: Context, input: AddReviewInput): Promise<ReviewPayload> {
  if (!ctx.identity) throw unauthenticated();
  const authorId = ctx.identity.userId;
  const checked = checkReviewInput(input);
  const received = await receivedProducts.findByBuyerAndProduct(ctx.prisma, authorId, input.productId);
  const errors = [...(checked.ok ? [] : checked.errors), ...(received ? [] : [notReceived(input.productId)])];
  if (!checked.ok || !received) return failed(...errors);

  const { productId, rating, title, body } = checked.value;
  const verdict = autoModerate({ title, body });
  const review = await ctx.prisma.$transaction(async (tx) => {
    const created = await reviews.createUnlessReviewed(tx, {
      id: randomUUID(),
      productId,
      // The shop that delivered the product: its rating is the one this review counts towards.
      sellerId: received.sellerId,
      authorId,
      rating,
      title,
      body,
      status: verdict.status,
      moderationReason: verdict.reason,
      moderatedAt: verdict.status === 'APPROVED' ? new Date() : null,
    });
    if (!created) return null;
    await enqueueReviewSubmitted(tx, created);
    if (created.status === 'APPROVED') {
      await ratings.applyApprovedRating(tx, created);
      await enqueueReviewApproved(tx, created);
    }
    return created;
  });
  return review ? succeeded(ctx, review) : failed(alreadyReviewed(productId));
}
