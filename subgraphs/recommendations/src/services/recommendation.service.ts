// The two feeds the API serves. Reads only: everything here comes from the projection and the model the
// event consumer keeps (services/purchase.service.ts), filtered to what may be recommended right now.
import type { Context } from '../context.ts';
import { diversify, personalFeed, type Candidate } from '../model/feed.ts';
import * as recommendations from '../repositories/recommendation.repository.ts';
import type { ShelfCard } from '../repositories/recommendation.repository.ts';
import { BASE_FEED_SIZE } from './base-feed.ts';
import { parseFirst } from './feed-input.ts';

/**
 * A product reference. The shelf fields (title, price, seller) come from `shelfCard`; the gateway asks
 * catalog and sellers for anything else.
 */
export interface ProductRef {
  id: string;
}

const toRefs = (candidates: readonly Candidate[]): ProductRef[] =>
  candidates.map((c) => ({ id: c.productId }));

/**
 * `recommendedProducts(first)`. Guests and signed-in users without purchases get the popular feed;
 * buyers get the neighbours of what they bought, minus what they have, topped up with popular products
 * they do not have; both diversified across shops. Full (`first` products) whenever that many products
 * may be recommended.
 */
export async function recommendedProducts(
  ctx: Context,
  firstArg: number | null | undefined,
): Promise<ProductRef[]> {
  const first = parseFirst(firstArg);
  const buyerId = ctx.identity?.userId;
  if (!buyerId) return toRefs(diversify(await ctx.baseFeed.get(), first));
  const [popular, owned, neighbours] = await Promise.all([
    ctx.baseFeed.get(),
    recommendations.findOwned(ctx.db, buyerId),
    // Room for diversification to pass some over.
    recommendations.findPersonalNeighbours(ctx.db, buyerId, 3 * first),
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
  return toRefs(feed);
}

/**
 * `Product.alsoBought(first)`: products bought by this product's buyers, most similar first, topped up
 * with more from the same shop. Batched across the products of a request (loaders.ts).
 */
export async function alsoBought(
  ctx: Context,
  productId: string,
  firstArg: number | null | undefined,
): Promise<ProductRef[]> {
  const first = parseFirst(firstArg);
  return toRefs(await ctx.loaders.alsoBought.load({ productId, first }));
}

/**
 * What a shelf shows of a recommended product: the fields the schema @provides on `alsoBought` and
 * `recommendedProducts`, from the projection of catalog's and sellers' events. Batched across the
 * products of a request (loaders.ts). Every product a feed returns has one: feeds only rank listings
 * that have these fields, and listings are never deleted.
 */
export async function shelfCard(ctx: Context, productId: string): Promise<ShelfCard> {
  const card = await ctx.loaders.shelfCard.load(productId);
  if (!card) throw new Error(`Product ${productId} has no shelf fields in the recommendations projection`);
  return card;
}
