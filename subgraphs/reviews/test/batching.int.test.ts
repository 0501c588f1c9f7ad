import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { entitiesQuery, newId, openFixtures } from './fixtures.ts';

// What the gateway asks reviews for when it plans the contract's Storefront query.
const STOREFRONT_ENTITIES = entitiesQuery(`
  ... on Product { id rating { average count } reviews(first: 2) { totalCount edges { node { id rating title } } } }
  ... on Seller { id rating { average count } }`);

interface Entity {
  id: string;
  rating: { average: number | null; count: number };
  reviews?: { totalCount: number; edges: { node: { id: string } }[] };
}

let subgraph: TestSubgraph;
const products: { id: string; sellerId: string }[] = [];
const sellers = Array.from({ length: 5 }, () => newId('seller'));

beforeAll(async () => {
  subgraph = await startTestSubgraph(reviewsSubgraph, inject('postgresAdminUrl'));
  const fixtures = openFixtures(subgraph.database.url);
  try {
    for (let i = 0; i < 60; i += 1)
      products.push({ id: newId('product'), sellerId: sellers[i % sellers.length]! });
    // Three approved reviews and a pending one per product: every page has a next page to find.
    await fixtures.addReviews(
      products.flatMap(({ id, sellerId }) => [
        ...[5, 4, 3].map((rating) => ({ productId: id, sellerId, rating })),
        { productId: id, sellerId, rating: 1, status: 'PENDING' as const },
      ]),
    );
  } finally {
    await fixtures.close();
  }
});

afterAll(async () => {
  await subgraph?.stop();
});

async function statementCount(): Promise<number> {
  const metrics = await (await fetch(subgraph.running.url.replace(/\/graphql$/, '/metrics'))).text();
  const match = /^db_statements_total\{database="reviews"\} (\d+)$/m.exec(metrics);
  if (!match)
    throw new Error(`db_statements_total{database="reviews"} is missing from /metrics:\n${metrics}`);
  return Number(match[1]);
}

/** Statements the subgraph sent to PostgreSQL while answering one `_entities` request. */
async function statementsFor(productCount: number): Promise<{ statements: number; entities: Entity[] }> {
  const page = products.slice(0, productCount);
  const representations = [
    ...page.map(({ id }) => ({ __typename: 'Product', id })),
    ...[...new Set(page.map((p) => p.sellerId))].map((id) => ({ __typename: 'Seller', id })),
  ];
  const before = await statementCount();
  const response = await subgraph.request<{ _entities: Entity[] }>(STOREFRONT_ENTITIES, { representations });
  const statements = (await statementCount()) - before;
  expect(response.errors).toBeUndefined();
  return { statements, entities: response.data?._entities ?? [] };
}

describe('batching', () => {
  it('answers the storefront for 50 products with as many SQL statements as for 10', async () => {
    await statementsFor(1); // the pool opens its connections outside the measured requests
    const ten = await statementsFor(10);
    const fifty = await statementsFor(50);

    // Page rows, product ratings (which also give totalCount) and seller ratings: one statement each.
    expect(ten.statements).toBe(3);
    expect(fifty.statements).toBe(ten.statements);

    const fiftyProducts = fifty.entities.filter((e) => e.reviews);
    expect(fiftyProducts).toHaveLength(50);
    for (const product of fiftyProducts) {
      expect(product.reviews?.edges).toHaveLength(2);
      expect(product.reviews?.totalCount).toBe(3);
      expect(product.rating).toEqual({ average: 4, count: 3 });
    }
    const fiftySellers = fifty.entities.filter((e) => !e.reviews);
    expect(fiftySellers).toHaveLength(5);
    for (const seller of fiftySellers) expect(seller.rating).toEqual({ average: 4, count: 36 });
  });

  it('resolves 50 Review references with as many SQL statements as 10', async () => {
    const query = entitiesQuery('... on Review { id rating }');
    const ids = (
      await subgraph.request<{ _entities: { reviews: { edges: { node: { id: string } }[] } }[] }>(
        entitiesQuery('... on Product { reviews(first: 1) { edges { node { id } } } }'),
        { representations: products.slice(0, 50).map(({ id }) => ({ __typename: 'Product', id })) },
      )
    ).data!._entities.map((e) => e.reviews.edges[0]!.node.id);

    const count = async (n: number) => {
      const before = await statementCount();
      const response = await subgraph.request<{ _entities: ({ id: string } | null)[] }>(query, {
        representations: ids.slice(0, n).map((id) => ({ __typename: 'Review', id })),
      });
      expect(response.data?._entities.map((e) => e?.id)).toEqual(ids.slice(0, n));
      return (await statementCount()) - before;
    };
    const ten = await count(10);
    expect(ten).toBe(1);
    expect(await count(50)).toBe(ten);
  });
});
