import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { entitiesQuery, newId, openFixtures, type Fixtures } from './fixtures.ts';

interface ReviewPage {
  totalCount: number;
  edges: { cursor: string; node: { id: string; status: string; createdAt: string } }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}
type Entities = { _entities: ({ id: string; reviews: ReviewPage } | null)[] };

const REVIEWS = entitiesQuery(`
  ... on Product {
    id
    reviews(first: $first, after: $after) {
      totalCount
      edges { cursor node { id status createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`).replace('($representations: [_Any!]!)', '($representations: [_Any!]!, $first: Int, $after: String)');

let subgraph: TestSubgraph;
let fixtures: Fixtures;

useTestSubgraph(reviewsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  fixtures = opened;
});

async function reviewsOf(productId: string, variables: { first?: number; after?: string | null } = {}) {
  const response = await subgraph.request<Entities>(REVIEWS, {
    representations: [{ __typename: 'Product', id: productId }],
    ...variables,
  });
  return { response, page: response.data?._entities[0]?.reviews };
}

describe('Product.reviews', () => {
  it('lists only approved reviews, newest first', async () => {
    const productId = newId('product');
    const day = (d: number) => new Date(Date.UTC(2026, 9, d));
    const rows = await fixtures.addReviews([
      { productId, createdAt: day(1) },
      { productId, createdAt: day(3) },
      { productId, createdAt: day(4), status: 'PENDING' },
      { productId, createdAt: day(2) },
      { productId, createdAt: day(5), status: 'REJECTED' },
      { productId: newId('other-product'), createdAt: day(6) },
    ]);
    const { response, page } = await reviewsOf(productId);
    expect(response.errors).toBeUndefined();
    expect(page?.edges.map((e) => e.node.id)).toEqual([rows[1]!.id, rows[3]!.id, rows[0]!.id]);
    expect(page?.edges.every((e) => e.node.status === 'APPROVED')).toBe(true);
    expect(page?.edges[0]?.node.createdAt).toBe('2026-10-03T00:00:00.000Z');
    expect(page?.totalCount).toBe(3);
    expect(page?.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it('walks every approved review exactly once when following endCursor, ties included', async () => {
    const productId = newId('product');
    const sameInstant = new Date(Date.UTC(2026, 9, 10, 12));
    // 23 reviews, 5 of them written in the same millisecond, so only the id can order those.
    const rows = await fixtures.addReviews(
      Array.from({ length: 23 }, (_, i) => ({
        productId,
        createdAt: i < 5 ? sameInstant : new Date(Date.UTC(2026, 9, 1) + i * 3_600_000),
      })),
    );
    await fixtures.addReviews([
      { productId, status: 'PENDING', createdAt: new Date(Date.UTC(2026, 9, 1, 3, 30)) },
    ]);
    const expected = [...rows]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);

    const seen: string[] = [];
    let after: string | null = null;
    const hasNext: boolean[] = [];
    for (let pages = 0; pages < 10; pages += 1) {
      const { response, page } = await reviewsOf(productId, { first: 5, after });
      expect(response.errors).toBeUndefined();
      expect(page?.totalCount).toBe(23);
      expect(page?.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...(page?.edges.map((e) => e.node.id) ?? []));
      hasNext.push(page!.pageInfo.hasNextPage);
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(hasNext).toEqual([true, true, true, true, false]);
  });

  it('returns the first 10 when first is not given, and an empty page for first: 0', async () => {
    const productId = newId('product');
    await fixtures.addReviews(Array.from({ length: 12 }, () => ({ productId })));
    const byDefault = await reviewsOf(productId);
    expect(byDefault.page?.edges).toHaveLength(10);
    expect(byDefault.page?.pageInfo.hasNextPage).toBe(true);
    const none = await reviewsOf(productId, { first: 0 });
    expect(none.page?.edges).toEqual([]);
    expect(none.page).toMatchObject({ totalCount: 12, pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('gives a product without reviews an empty page', async () => {
    const { response, page } = await reviewsOf(newId('product'));
    expect(response.errors).toBeUndefined();
    expect(page).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
  });

  it.each([101, -1])('refuses first: %i as BAD_USER_INPUT', async (first) => {
    const { response } = await reviewsOf(newId('product'), { first });
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain(String(first));
  });

  it.each(['not-a-cursor', 'WyJ5ZXN0ZXJkYXkiLCJ4Il0', ''])(
    'refuses the cursor "%s" as BAD_USER_INPUT',
    async (after) => {
      const { response } = await reviewsOf(newId('product'), { after });
      expect(response.status).toBe(200);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    },
  );

  it('serves different page sizes of the same product in one request', async () => {
    const productId = newId('product');
    await fixtures.addReviews(Array.from({ length: 4 }, () => ({ productId })));
    const response = await subgraph.request<{ _entities: { two: ReviewPage; three: ReviewPage }[] }>(
      entitiesQuery(`... on Product {
        two: reviews(first: 2) { edges { node { id } } pageInfo { hasNextPage } }
        three: reviews(first: 3) { edges { node { id } } pageInfo { hasNextPage } }
      }`),
      { representations: [{ __typename: 'Product', id: productId }] },
    );
    const entity = response.data?._entities[0];
    expect(entity?.two.edges).toHaveLength(2);
    expect(entity?.three.edges).toHaveLength(3);
    expect(entity?.three.edges.slice(0, 2)).toEqual(entity?.two.edges);
    expect(entity?.two.pageInfo.hasNextPage && entity.three.pageInfo.hasNextPage).toBe(true);
  });
});
