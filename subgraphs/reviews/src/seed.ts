import type { Logger } from '@mp/kit';
import { demoProducts, demoReviews } from '@mp/prisma/seed';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import * as ratings from './repositories/rating.repository.ts';
import * as reviews from './repositories/review.repository.ts';

/**
 * Inserts the demo reviews, all APPROVED, into an empty reviews database, and builds the rating
 * aggregates through `applyApprovedRating` as moderation will. A database with any review is left alone.
 */
export async function seedDemoData(env: Env, log: Logger): Promise<void> {
  const db = openDb(env.DATABASE_URL);
  try {
    if ((await reviews.count(db.prisma)) > 0) return;
    const sellerOf = new Map(demoProducts.map((p) => [p.id, p.sellerId]));
    const rows = demoReviews.map((review) => {
      const sellerId = sellerOf.get(review.productId);
      if (!sellerId) throw new Error(`Demo review ${review.id} is about unknown product ${review.productId}`);
      return {
        ...review,
        sellerId,
        status: 'APPROVED' as const,
        moderationReason: null,
        moderatedAt: review.createdAt,
      };
    });
    await db.prisma.$transaction(async (tx) => {
      await reviews.createMany(tx, rows);
      for (const { productId, sellerId, rating } of rows) {
        await ratings.applyApprovedRating(tx, { productId, sellerId, rating });
      }
    });
    log.info({ reviews: rows.length }, 'seeded demo reviews');
  } finally {
    await db.close();
  }
}
