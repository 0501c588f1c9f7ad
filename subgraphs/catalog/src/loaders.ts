import type { Identity } from '@mp/auth';
import { compositeKey, groupedLoader, keyedLoader } from '@mp/kit';
import DataLoader from 'dataloader';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as categories from './repositories/category.repository.ts';
import * as listings from './repositories/product-listing.repository.ts';
import type { SellerFirstPage } from './repositories/product-listing.repository.ts';
import * as products from './repositories/product.repository.ts';
import * as sellerStates from './repositories/seller-state.repository.ts';

/**
 * First pages of many shops' products, keyed by `compositeKey(sellerId, limit)`: one statement per
 * distinct limit in the batch, whatever the number of shops.
 */
function sellerFirstPageLoader(prisma: PrismaClient, identity: Identity | null) {
  return new DataLoader<string, SellerFirstPage>(async (keys) => {
    const sellersByLimit = new Map<number, string[]>();
    for (const key of keys) {
      const [sellerId, limit] = JSON.parse(key) as [string, number];
      sellersByLimit.set(limit, [...(sellersByLimit.get(limit) ?? []), sellerId]);
    }
    const pages = new Map<string, SellerFirstPage>();
    await Promise.all(
      [...sellersByLimit].map(async ([limit, sellerIds]) => {
        const found = await listings.findFirstPagesOfSellers(
          prisma,
          sellerIds,
          limit,
          identity?.sellerId ?? null,
        );
        for (const page of found) pages.set(compositeKey(page.sellerId, limit), page);
      }),
    );
    return keys.map((key) => pages.get(key) ?? { sellerId: '', rows: [], totalCount: 0 });
  });
}

/** Fresh per request, so batching never leaks data (or one caller's view) between callers. */
export function createLoaders(prisma: PrismaClient, identity: Identity | null) {
  return {
    productById: keyedLoader(
      (ids: readonly string[]) => products.findByIds(prisma, ids),
      (p) => p.id,
    ),
    categoryById: keyedLoader(
      (ids: readonly string[]) => categories.findByIds(prisma, ids),
      (c) => c.id,
    ),
    categoriesByParentId: groupedLoader(
      (ids: readonly string[]) => categories.findByParentIds(prisma, ids),
      (c) => c.parentId ?? '',
    ),
    sellerStateById: keyedLoader(
      (ids: readonly string[]) => sellerStates.findByIds(prisma, ids),
      (s) => s.sellerId,
    ),
    sellerFirstPage: sellerFirstPageLoader(prisma, identity),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
