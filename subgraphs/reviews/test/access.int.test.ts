import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { entitiesQuery, newId, openFixtures } from './fixtures.ts';

let subgraph: TestSubgraph;
let productId: string;

beforeAll(async () => {
  subgraph = await startTestSubgraph(reviewsSubgraph, inject('postgresAdminUrl'));
  const fixtures = openFixtures(subgraph.database.url);
  productId = newId('product');
  try {
    await fixtures.addReviews([{ productId, rating: 5 }]);
  } finally {
    await fixtures.close();
  }
});

afterAll(async () => {
  await subgraph?.stop();
});

const ENTITIES = entitiesQuery(
  '... on Product { id rating { average count } reviews { edges { node { id } } } }',
);

describe('access from outside the gateway', () => {
  it('refuses an _entities request without the gateway credential', async () => {
    const response = await subgraph.request(
      ENTITIES,
      { representations: [{ __typename: 'Product', id: productId }] },
      { credential: false },
    );
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data ?? null).toBeNull();
  });

  it('refuses a query without the gateway credential', async () => {
    const response = await subgraph.request('{ review(id: "x") { id } }', {}, { credential: false });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a credential signed with another secret', async () => {
    const response = await subgraph.request(
      ENTITIES,
      { representations: [{ __typename: 'Product', id: productId }] },
      { credential: 'eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJyZXZpZXdzIn0.c2lnbmF0dXJl' },
    );
    expect(response.status).toBe(403);
    expect(response.data ?? null).toBeNull();
  });

  it('refuses a forged access token as UNAUTHENTICATED', async () => {
    const response = await subgraph.request(
      ENTITIES,
      { representations: [{ __typename: 'Product', id: productId }] },
      { authorization: 'Bearer not.a.token' },
    );
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('serves the same request through the gateway credential', async () => {
    const response = await subgraph.request<{ _entities: { rating: { count: number } }[] }>(ENTITIES, {
      representations: [{ __typename: 'Product', id: productId }],
    });
    expect(response.status).toBe(200);
    expect(response.data?._entities[0]?.rating.count).toBe(1);
  });
});
