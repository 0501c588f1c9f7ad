// The two feeds the API serves. Reads only: everything here comes from the projection and the model the
// event consumer keeps (services/purchase.service.ts), filtered to what may be recommended right now.
import type { Context } from '../context.ts';
import { diversify, personalFeed } from '../model/feed.ts';
import type { ProductModel } from '../mappers.ts';
import * as recommendations from '../repositories/recommendation.repository.ts';
import type { ShelfCandidate } from '../repositories/recommendation.repository.ts';
import { BASE_FEED_SIZE } from './base-feed.ts';
import { parseFirst } from './feed-input.ts';

/** The products to return, each with the shelf fields it was ranked with (the schema @provides them). */
const toProducts = (candidates: readonly ShelfCandidate[]): ProductModel[] =>
  candidates.map(({ productId, sellerId, title, priceMinor, currencyCode, sellerName }) => ({
    id: productId,
    shelf: { title, priceMinor, currencyCode, sellerId, sellerName },
  }));

/**
 * `recommendedProducts(first)`. Guests and signed-in users without purchases get the popular feed;
 * buyers get the neighbours of what they bought, minus what they have, topped up with popular products
 * they do not have; both diversified across shops. Full (`first` products) whenever that many products
 * may be recommended.
 */
export async function recommendedProducts(
  ctx: Context,
  firstArg: number | null | undefined,
): Promise<ProductModel[]> {
  const first = parseFirst(firstArg);
  const buyerId = ctx.identity?.userId;
  if (!buyerId) return toProducts(diversify(await ctx.baseFeed.get(), first));
  const [popular, { owned, neighbours }] = await Promise.all([
    ctx.baseFeed.get(),
    // Room for diversification to pass some over.
    ctx.personalFeeds.read({ buyerId, limit: 3 * first }),
  ]);
  const ownedSet = new Set(owned);
  const feed = personalFeed({ neighbours, popular, owned: ownedSet, first });
  if (feed.length < first && popular.length === BASE_FEED_SIZE) {
    // The buyer has most of the base feed, and there are more products past it.
    const more = await recommendations.findPopular(ctx.db, first - feed.length, [
      ...ownedSet,
      ...feed.map((c) => c.productId),
    ]);
    feed.push(...more);
  }
  return toProducts(feed);
}

/**
 * `Product.alsoBought(first)`: products bought by this product's buyers, most similar first, topped up
 * with more from the same shop. Batched across the products of a request (loaders.ts).
 */
export async function alsoBought(
  ctx: Context,
  productId: string,
  firstArg: number | null | undefined,
): Promise<ProductModel[]> {
  const first = parseFirst(firstArg);
  return toProducts(await ctx.loaders.alsoBought.load({ productId, first }));
}
