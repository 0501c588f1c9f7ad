import { compositeKey, pageSize, toConnection } from '@mp/kit';
import type { Context } from '../context.ts';
import type { ProductConnectionModel } from '../mappers.ts';
import * as listings from '../repositories/product-listing.repository.ts';
import type {
  ListedProduct,
  ProductMatch,
  ProductOrder,
} from '../repositories/product-listing.repository.ts';
import type { ProductRow } from '../repositories/product.repository.ts';
import { cursorOf, effectiveOrder, keysetFrom, type ProductSortArg } from './product-cursor.ts';
import { toProductMatch, type ProductFilterArg } from './product-filter.ts';

export interface ListProductsArgs {
  first?: number | null;
  after?: string | null;
  filter?: ProductFilterArg | null;
  sort?: ProductSortArg;
}

/** A page plus the total: two statements (run in parallel), whatever the page size. */
async function page(
  ctx: Context,
  match: ProductMatch,
  order: ProductOrder,
  first: number,
  after: string | null | undefined,
): Promise<ProductConnectionModel> {
  const keyset = keysetFrom(order, after);
  const [rows, totalCount] = await Promise.all([
    listings.findPage(ctx.prisma, { ...match, order, after: keyset, limit: first + 1 }),
    listings.countMatching(ctx.prisma, match),
  ]);
  return connection(rows, first, order, totalCount, keyset !== null);
}

function connection(
  rows: readonly ListedProduct[],
  first: number,
  order: ProductOrder,
  totalCount: number,
  hasPreviousPage: boolean,
): ProductConnectionModel {
  return { ...toConnection(rows, first, (row) => cursorOf(order, row), hasPreviousPage), totalCount };
}

/** The buyers' listing: only products of ACTIVE shops, whoever asks. */
export function listProducts(ctx: Context, args: ListProductsArgs): Promise<ProductConnectionModel> {
  const first = pageSize(args.first);
  const match = toProductMatch(args.filter);
  return page(ctx, match, effectiveOrder(args.sort, match.search), first, args.after);
}

/** A product for its page: null when unknown, or hidden (shop not ACTIVE) from anyone but its seller. */
export async function findVisibleProduct(ctx: Context, id: string): Promise<ProductRow | null> {
  const product = await ctx.loaders.productById.load(id);
  if (!product) return null;
  if (ctx.identity?.sellerId === product.sellerId) return product;
  const shop = await ctx.loaders.sellerStateById.load(product.sellerId);
  return shop?.status === 'ACTIVE' ? product : null;
}

/**
 * A shop's products, newest first: all of them for the shop's own seller, else only while the shop is
 * ACTIVE. First pages of many shops are batched into one statement; later pages are per shop.
 */
export async function sellerProducts(
  ctx: Context,
  sellerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<ProductConnectionModel> {
  const first = pageSize(args.first);
  const ownSellerId = ctx.identity?.sellerId ?? null;
  if (args.after === null || args.after === undefined) {
    const found = await ctx.loaders.sellerFirstPage.load(compositeKey(sellerId, first + 1));
    return connection(found.rows, first, 'NEWEST', found.totalCount, false);
  }
  const match = { ...toProductMatch({ sellerId }), ownSellerId };
  return page(ctx, match, 'NEWEST', first, args.after);
}
