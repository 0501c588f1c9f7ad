import type { Context } from '../context.ts';
import type { RatingTotals } from '../repositories/rating.repository.ts';

export interface Rating {
  average: number | null;
  count: number;
}

/** Mean of the ratings rounded half up to 2 decimals; null when there are none. */
export function toRating(totals: RatingTotals | null): Rating {
  if (!totals || totals.ratingCount === 0) return { average: null, count: 0 };
  // Rounded in hundredths of a star so that, e.g., 14 / 3 becomes 4.67 rather than 4.666….
  const hundredths = Math.round((totals.ratingSum * 100) / totals.ratingCount);
  return { average: hundredths / 100, count: totals.ratingCount };
}

export async function productRating(ctx: Context, productId: string): Promise<Rating> {
  return toRating(await ctx.loaders.productRatingById.load(productId));
}

export async function sellerRating(ctx: Context, sellerId: string): Promise<Rating> {
  return toRating(await ctx.loaders.sellerRatingById.load(sellerId));
}
