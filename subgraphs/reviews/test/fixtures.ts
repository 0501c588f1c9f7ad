import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@mp/events';
import { testEnvelope, type TestSubgraph } from '@mp/testkit';
import { openDb } from '../src/db.ts';
import type { PrismaClient, ReviewStatus } from '../src/generated/prisma/client.ts';
import * as ratings from '../src/repositories/rating.repository.ts';
import * as reviews from '../src/repositories/review.repository.ts';

export interface ReviewFixture {
  productId: string;
  sellerId?: string;
  authorId?: string;
  rating?: number;
  status?: ReviewStatus;
  moderationReason?: string;
  createdAt?: Date;
  id?: string;
}

export interface Fixtures {
  /** Inserts reviews as moderation would leave them: approved ones are counted in the aggregates. */
  addReviews: (fixtures: readonly ReviewFixture[]) => Promise<reviews.NewReview[]>;
  /** The test's own client of the subgraph's database, to check what was (not) written. */
  prisma: PrismaClient;
  close: () => Promise<void>;
}

/**
 * Writes test data straight into the subgraph's database: many reviews in given states and dates, which
 * the API could only produce slowly (and never with chosen dates).
 */
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
          moderationReason: f.moderationReason ?? null,
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
    prisma: db.prisma,
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

/** What the gateway would forward for a signed-in buyer (a fresh user unless an id is given). */
export const buyer = (userId: string = randomUUID()) => ({ userId, scopes: ['buyer' as const] });

/** An admin: may see the moderation queue and decide on reviews. */
export const admin = (userId: string = randomUUID()) => ({
  userId,
  scopes: ['buyer' as const, 'admin' as const],
});

/** A `shipment.delivered` envelope as shipments would publish it. */
export function deliveredEnvelope(delivery: {
  buyerId: string;
  sellerId: string;
  productIds: string[];
  deliveredAt?: string;
}): EventEnvelope<'shipment.delivered'> {
  const shipmentId = newId('shipment');
  return testEnvelope('shipment.delivered', shipmentId, {
    shipmentId,
    orderId: newId('order'),
    sellerOrderId: newId('seller-order'),
    sellerId: delivery.sellerId,
    buyerId: delivery.buyerId,
    productIds: delivery.productIds,
    deliveredAt: delivery.deliveredAt ?? new Date().toISOString(),
  });
}

/**
 * Publishes deliveries on the subgraph's bus as shipments would. The in-process bus resolves once every
 * subscribed group (reviews' consumer included) has committed its effect.
 */
export async function deliver(
  subgraph: TestSubgraph,
  ...deliveries: Parameters<typeof deliveredEnvelope>[0][]
): Promise<void> {
  await subgraph.bus.publish(deliveries.map(deliveredEnvelope));
}
