import { demoProducts, demoReviews, demoSellers } from '@mp/prisma/seed';
import { createLogger } from '@mp/kit';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { seedDemoData } from '../src/seed.ts';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { entitiesQuery } from './fixtures.ts';

interface Rating {
  average: number | null;
  count: number;
}

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(reviewsSubgraph, inject('postgresAdminUrl'), { seed: true });
});

afterAll(async () => {
  await subgraph?.stop();
});

function expectedRating(ratings: number[]): Rating {
  if (ratings.length === 0) return { average: null, count: 0 };
  return {
    average: Math.round((ratings.reduce((a, b) => a + b, 0) * 100) / ratings.length) / 100,
    count: ratings.length,
  };
}

describe('demo data', () => {
  it('has every demo review approved and counted in its product’s and seller’s rating', async () => {
    expect(demoReviews.length).toBeGreaterThan(0);
    const response = await subgraph.request<{
      _entities: { id: string; rating: Rating; reviews?: { totalCount: number } }[];
    }>(
      entitiesQuery(
        '... on Product { id rating { average count } reviews(first: 0) { totalCount } } ... on Seller { id rating { average count } }',
      ),
      {
        representations: [
          ...demoProducts.map(({ id }) => ({ __typename: 'Product', id })),
          ...demoSellers.map(({ id }) => ({ __typename: 'Seller', id })),
        ],
      },
    );
    expect(response.errors).toBeUndefined();
    const entities = response.data!._entities;
    demoProducts.forEach((product, i) => {
      const ratings = demoReviews.filter((r) => r.productId === product.id).map((r) => r.rating);
      expect(entities[i]).toEqual({
        id: product.id,
        rating: expectedRating(ratings),
        reviews: { totalCount: ratings.length },
      });
    });
    demoSellers.forEach((seller, i) => {
      const products = new Set(demoProducts.filter((p) => p.sellerId === seller.id).map((p) => p.id));
      const ratings = demoReviews.filter((r) => products.has(r.productId)).map((r) => r.rating);
      expect(entities[demoProducts.length + i]).toEqual({ id: seller.id, rating: expectedRating(ratings) });
    });
  });

  it('leaves a database that already has reviews alone', async () => {
    const env = loadEnv({
      DATABASE_URL: subgraph.database.url,
      GATEWAY_SECRET: subgraph.auth.gatewaySecret,
      JWT_PUBLIC_KEY: subgraph.auth.publicKeyPem,
    });
    await seedDemoData(env, createLogger('reviews', 'silent'));
    const response = await subgraph.request<{ _entities: { rating: Rating }[] }>(
      entitiesQuery('... on Seller { rating { count } }'),
      { representations: demoSellers.map(({ id }) => ({ __typename: 'Seller', id })) },
    );
    const total = response.data!._entities.reduce((sum, e) => sum + e.rating.count, 0);
    expect(total).toBe(demoReviews.length);
  });
});
