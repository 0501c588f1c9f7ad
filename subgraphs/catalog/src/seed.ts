import type { Logger } from '@mp/kit';
import { demoCategories, demoProducts, demoReviews, demoSellers } from '@mp/prisma/seed';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { enqueueProductCreated } from './events/product-events.ts';
import * as categories from './repositories/category.repository.ts';
import * as productRatings from './repositories/product-rating.repository.ts';
import * as products from './repositories/product.repository.ts';
import * as sellerStates from './repositories/seller-state.repository.ts';

/**
 * `rating_average`/`rating_count`/`rating_sum` from the demo reviews (reviews owns reviews; catalog keeps
 * these copies only for the RATING sort). Averages are rounded to 2 decimals like the column.
 */
export function demoRatings(): Map<
  string,
  { ratingAverage: string; ratingCount: number; ratingSum: number }
> {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const review of demoReviews) {
    const total = totals.get(review.productId) ?? { sum: 0, count: 0 };
    totals.set(review.productId, { sum: total.sum + review.rating, count: total.count + 1 });
  }
  return new Map(
    [...totals].map(([productId, { sum, count }]) => [
      productId,
      {
        ratingAverage: (Math.round((sum * 100) / count) / 100).toFixed(2),
        ratingCount: count,
        ratingSum: sum,
      },
    ]),
  );
}

/**
 * Inserts the demo categories, products (with the demo reviews' ratings, each review recorded as
 * counted) and shop statuses (all demo shops are ACTIVE) into an empty catalog database; a database
 * with any category is left alone. Each demo product gets its `product.created` event in the same
 * transaction: other subgraphs (orders' prices, recommendations) learn the demo catalogue only through
 * these events. (In all-in-one mode they reach the consumers subscribed at first start; see "Replays"
 * in packages/events/README.md for one added later.)
 */
export async function seedDemoData(env: Env, log: Logger): Promise<void> {
  const db = openDb(env.DATABASE_URL);
  try {
    if ((await categories.count(db.prisma)) > 0) return;
    const ratings = demoRatings();
    const rows = demoProducts.map((p) => ({
      id: p.id,
      sellerId: p.sellerId,
      categoryId: p.categoryId,
      title: p.title,
      description: p.description,
      priceMinor: BigInt(p.priceMinor),
      currencyCode: p.currencyCode,
      stock: p.stock,
      images: p.images,
      attributes: Object.entries(p.attributes).map(([name, value]) => ({ name, value })),
      ratingAverage: ratings.get(p.id)?.ratingAverage ?? '0.00',
      ratingCount: ratings.get(p.id)?.ratingCount ?? 0,
      ratingSum: ratings.get(p.id)?.ratingSum ?? 0,
      createdAt: p.createdAt,
      updatedAt: p.createdAt,
    }));
    await db.prisma.$transaction(async (tx) => {
      // Parents come first in demoCategories, and PostgreSQL checks the tree's foreign key per statement.
      await categories.createMany(tx, demoCategories);
      await products.createMany(tx, rows);
      // Counted already: a replay of their review events must not count them twice.
      await productRatings.recordMany(tx, demoReviews);
      for (const row of rows) await enqueueProductCreated(tx, row);
      await sellerStates.createMany(
        tx,
        demoSellers.map((s) => ({ sellerId: s.id, ownerId: s.ownerId, status: 'ACTIVE' as const })),
      );
    });
    log.info(
      { categories: demoCategories.length, products: demoProducts.length, sellers: demoSellers.length },
      'seeded demo catalog',
    );
  } finally {
    await db.close();
  }
}
