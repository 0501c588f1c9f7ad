import { compositeKey, keyedLoader } from '@mp/kit';
import DataLoader from 'dataloader';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as ratings from './repositories/rating.repository.ts';
import * as reviews from './repositories/review.repository.ts';
import type { PageRequest, ReviewRow } from './repositories/review.repository.ts';

/**
 * First pages of many products' approved reviews from one statement. The same product may be asked for
 * with different sizes (aliases), so each product is read once with the largest size and cut per request.
 */
function newestApprovedReviewsLoader(prisma: PrismaClient): DataLoader<PageRequest, ReviewRow[], string> {
  return new DataLoader<PageRequest, ReviewRow[], string>(
    async (requests) => {
      const limits = new Map<string, number>();
      for (const { productId, limit } of requests) {
        limits.set(productId, Math.max(limit, limits.get(productId) ?? 0));
      }
      const rows = await reviews.findNewestApprovedByProducts(
        prisma,
        [...limits].map(([productId, limit]) => ({ productId, limit })),
      );
      const byProduct = new Map<string, ReviewRow[]>();
      for (const row of rows) {
        const list = byProduct.get(row.productId);
        if (list) list.push(row);
        else byProduct.set(row.productId, [row]);
      }
      return requests.map(({ productId, limit }) => (byProduct.get(productId) ?? []).slice(0, limit));
    },
    { cacheKeyFn: ({ productId, limit }) => compositeKey(productId, limit) },
  );
}

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(prisma: PrismaClient) {
  return {
    reviewById: keyedLoader(
      (ids: readonly string[]) => reviews.findByIds(prisma, ids),
      (r) => r.id,
    ),
    newestApprovedReviews: newestApprovedReviewsLoader(prisma),
    productRatingById: keyedLoader(
      (ids: readonly string[]) => ratings.findByProductIds(prisma, ids),
      (r) => r.productId,
    ),
    sellerRatingById: keyedLoader(
      (ids: readonly string[]) => ratings.findBySellerIds(prisma, ids),
      (r) => r.sellerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
