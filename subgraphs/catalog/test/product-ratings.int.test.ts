import { randomUUID } from 'node:crypto';
import { demoProducts } from '@mp/prisma/seed';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { openDb, type CatalogDb } from '../src/db.ts';
import { demoRatings } from '../src/seed.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import { envelope } from './helpers.ts';
import { createStockedProduct } from './stock-helpers.ts';

let catalog: TestSubgraph;
let db: CatalogDb;

useTestSubgraph(catalogSubgraph, { seed: true, open: openDb }, (started, opened) => {
  catalog = started;
  db = opened;
});

interface Review {
  reviewId: string;
  productId: string;
  sellerId: string;
  rating: number;
}

function review(productId: string, sellerId: string, rating: number): Review {
  return { reviewId: `review-${randomUUID()}`, productId, sellerId, rating };
}

const authored = (r: Review) => ({ ...r, authorId: `buyer-${randomUUID()}` });
const submitted = (r: Review, status: 'PENDING' | 'APPROVED') =>
  envelope('review.submitted', r.reviewId, { ...authored(r), status });
const approved = (r: Review) => envelope('review.approved', r.reviewId, authored(r));
const rejected = (r: Review) => envelope('review.rejected', r.reviewId, authored(r));

function ratingOf(productId: string) {
  return db.prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: { ratingSum: true, ratingCount: true, ratingAverage: true },
  });
}

const rated = async (productId: string) => {
  const { ratingSum, ratingCount, ratingAverage } = await ratingOf(productId);
  return { sum: ratingSum, count: ratingCount, average: ratingAverage.toFixed(2) };
};

/** A shop catalog knows as ACTIVE, so its products are listed. */
async function activeShop(): Promise<string> {
  const sellerId = `shop-${randomUUID()}`;
  await db.prisma.sellerState.create({
    data: { sellerId, ownerId: `owner-${randomUUID()}`, status: 'ACTIVE' },
  });
  return sellerId;
}

describe('rating columns from review events', () => {
  it('seeds rating_sum with the demo reviews behind each demo product’s average and count', async () => {
    const ratings = demoRatings();
    const rows = await db.prisma.product.findMany({
      where: { id: { in: demoProducts.map((p) => p.id) } },
      select: { id: true, ratingSum: true, ratingCount: true },
    });
    expect(rows.filter((r) => r.ratingCount > 0).length).toBeGreaterThan(0);
    for (const row of rows) {
      const expected = ratings.get(row.id);
      expect({ sum: row.ratingSum, count: row.ratingCount }).toEqual({
        sum: expected?.ratingSum ?? 0,
        count: expected?.ratingCount ?? 0,
      });
    }
  });

  it('counts an approved review once, however often it is announced or redelivered', async () => {
    const shop = await activeShop();
    const productId = await createStockedProduct(db.prisma, 1, shop);
    const four = review(productId, shop, 4);
    const approval = approved(four);
    await catalog.bus.publish([submitted(four, 'APPROVED'), approval, approved(four)]);
    await catalog.bus.publish([approval]);
    expect(await rated(productId)).toEqual({ sum: 4, count: 1, average: '4.00' });
  });

  it('counts a PENDING review only when it is approved, and never a rejected one', async () => {
    const shop = await activeShop();
    const productId = await createStockedProduct(db.prisma, 1, shop);
    const [five, one, two] = [
      review(productId, shop, 5),
      review(productId, shop, 1),
      review(productId, shop, 2),
    ];
    await catalog.bus.publish([submitted(five, 'APPROVED'), approved(five)]);
    await catalog.bus.publish([submitted(one, 'PENDING'), submitted(two, 'PENDING')]);
    expect(await rated(productId)).toEqual({ sum: 5, count: 1, average: '5.00' });

    await catalog.bus.publish([approved(one), rejected(two)]);
    expect(await rated(productId)).toEqual({ sum: 6, count: 2, average: '3.00' });
  });

  it('adds up reviews of one product approved at the same time', async () => {
    const shop = await activeShop();
    const productId = await createStockedProduct(db.prisma, 1, shop);
    const reviews = Array.from({ length: 24 }, (_, i) => review(productId, shop, (i % 5) + 1));
    // Different review ids go to different lanes: up to four transactions update the product at once.
    await catalog.bus.publish(reviews.map(approved));
    const sum = reviews.reduce((total, r) => total + r.rating, 0);
    expect(await rated(productId)).toEqual({
      sum,
      count: 24,
      average: (Math.round((sum / 24) * 100) / 100).toFixed(2),
    });
  });

  it('ignores a review of a product catalog does not have', async () => {
    const ghost = review(`no-such-product-${randomUUID()}`, 'shop', 3);
    await catalog.bus.publish([approved(ghost)]);
    expect(await db.prisma.productReviewRating.count({ where: { reviewId: ghost.reviewId } })).toBe(0);
    expect(await db.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('orders the RATING sort by the ratings the events brought', async () => {
    const shop = await activeShop();
    const [good, better, unrated] = [
      await createStockedProduct(db.prisma, 1, shop),
      await createStockedProduct(db.prisma, 1, shop),
      await createStockedProduct(db.prisma, 1, shop),
    ];
    await catalog.bus.publish([
      approved(review(good, shop, 4)),
      approved(review(better, shop, 5)),
      approved(review(good, shop, 3)),
    ]);
    const query = `query($shop: ID!) { products(first: 10, filter: { sellerId: $shop }, sort: RATING) { edges { node { id } } } }`;
    const response = await catalog.request<{ products: { edges: { node: { id: string } }[] } }>(query, {
      shop,
    });
    expect(response.data?.products.edges.map((e) => e.node.id)).toEqual([better, good, unrated]);
    expect(await rated(good)).toEqual({ sum: 7, count: 2, average: '3.50' });
  });
});
