import { randomUUID } from 'node:crypto';
import { openDb } from '../src/db.ts';
import type { ReviewStatus } from '../src/generated/prisma/client.ts';
import * as ratings from '../src/repositories/rating.repository.ts';
import * as reviews from '../src/repositories/review.repository.ts';

export interface ReviewFixture {
  productId: string;
  sellerId?: string;
  authorId?: string;
  rating?: number;
  status?: ReviewStatus;
  createdAt?: Date;
  id?: string;
}

export interface Fixtures {
  /** Inserts reviews as moderation would leave them: approved ones are counted in the aggregates. */
  addReviews: (fixtures: readonly ReviewFixture[]) => Promise<reviews.NewReview[]>;
  close: () => Promise<void>;
}

/** Writes test data straight into the subgraph's database (reviews cannot be written through the API yet). */
export function openFixtures(databaseUrl: string): Fixtures {
  const db = openDb(databaseUrl);
  return {
    async addReviews(fixtures) {
      const rows = fixtures.map((f, i): reviews.NewReview => {
        const status = f.status ?? 'APPROVED';
        const createdAt = f.createdAt ?? new Date(Date.UTC(2026, 9, 1) + i * 60_000);
        return {
          id: f.id ?? randomUUID(),
          productId: f.productId,
          sellerId: f.sellerId ?? `seller-of-${f.productId}`,
          authorId: f.authorId ?? randomUUID(),
          rating: f.rating ?? 5,
          title: `Review ${i + 1}`,
          body: `Body of review ${i + 1}`,
          status,
          createdAt,
          moderatedAt: status === 'PENDING' ? null : createdAt,
        };
      });
      await db.prisma.$transaction(async (tx) => {
        await reviews.createMany(tx, rows);
        for (const row of rows.filter((r) => r.status === 'APPROVED')) {
          await ratings.applyApprovedRating(tx, row);
        }
      });
      return rows;
    },
    async close() {
      await db.close();
    },
  };
}

/** Ids unique to one test, so tests sharing a database never see each other's rows. */
export const newId = (prefix: string): string => `${prefix}-${randomUUID()}`;

export function entitiesQuery(selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`;
}
