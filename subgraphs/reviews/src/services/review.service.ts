import { pageSize, toConnection, type Connection } from '@mp/kit';
import type { Context } from '../context.ts';
import * as reviews from '../repositories/review.repository.ts';
import type { ReviewRow } from '../repositories/review.repository.ts';
import { parseReviewCursor, reviewCursor } from './review-cursor.ts';

const DEFAULT_PAGE_SIZE = 10;

export interface ReviewConnection extends Connection<ReviewRow> {
  /** Counted only when a client asks for it. */
  totalCount: () => Promise<number>;
}

/** APPROVED reviews are public; any other is seen only by its author and by admins. */
export function canSee(ctx: Context, review: ReviewRow): boolean {
  if (review.status === 'APPROVED') return true;
  const identity = ctx.identity;
  return identity !== null && (identity.userId === review.authorId || identity.scopes.includes('admin'));
}

/** A review the caller may see, or null (also when it exists but is hidden from them). */
export async function findVisibleReview(ctx: Context, id: string): Promise<ReviewRow | null> {
  const review = await ctx.loaders.reviewById.load(id);
  return review && canSee(ctx, review) ? review : null;
}

/**
 * A page of a product's approved reviews, newest first. First pages (the storefront's case, many
 * products at once) are batched into one statement; later pages are read per product.
 */
export async function productReviews(
  ctx: Context,
  productId: string,
  args: { first?: number | null; after?: string | null },
): Promise<ReviewConnection> {
  const first = pageSize(args.first, DEFAULT_PAGE_SIZE);
  const after = args.after == null ? null : parseReviewCursor(args.after);
  // One row past the page tells whether there is a next page.
  const rows = after
    ? await reviews.findApprovedByProductAfter(ctx.prisma, productId, after, first + 1)
    : await ctx.loaders.newestApprovedReviews.load({ productId, limit: first + 1 });
  return {
    ...toConnection(rows, first, reviewCursor, after !== null),
    // Every approved review is counted in product_ratings, so the total is the rating's count.
    totalCount: async () => (await ctx.loaders.productRatingById.load(productId))?.ratingCount ?? 0,
  };
}
