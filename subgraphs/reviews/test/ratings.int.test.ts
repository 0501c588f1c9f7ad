import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { entitiesQuery, newId, openFixtures, type Fixtures } from './fixtures.ts';

interface Rating {
  average: number | null;
  count: number;
}
type Entities = { _entities: ({ id: string; rating: Rating } | null)[] };

let subgraph: TestSubgraph;
let fixtures: Fixtures;

useTestSubgraph(reviewsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  fixtures = opened;
});

async function ratingsOf(typename: 'Product' | 'Seller', ids: string[]): Promise<(Rating | undefined)[]> {
  const response = await subgraph.request<Entities>(
    entitiesQuery(`... on ${typename} { id rating { average count } }`),
    { representations: ids.map((id) => ({ __typename: typename, id })) },
  );
  expect(response.errors).toBeUndefined();
  return response.data?._entities.map((e) => e?.rating) ?? [];
}

describe('Product.rating', () => {
  it('is the mean of the approved ratings', async () => {
    const productId = newId('product');
    await fixtures.addReviews([
      { productId, rating: 5 },
      { productId, rating: 4 },
      { productId, rating: 1, status: 'PENDING' },
      { productId, rating: 1, status: 'REJECTED' },
    ]);
    expect(await ratingsOf('Product', [productId])).toEqual([{ average: 4.5, count: 2 }]);
  });

  it('rounds the mean to 2 decimals', async () => {
    const productId = newId('product');
    await fixtures.addReviews([5, 5, 4].map((rating) => ({ productId, rating })));
    expect(await ratingsOf('Product', [productId])).toEqual([{ average: 4.67, count: 3 }]);
  });

  it('has a null average and a zero count without approved reviews', async () => {
    const pendingOnly = newId('product');
    await fixtures.addReviews([{ productId: pendingOnly, rating: 5, status: 'PENDING' }]);
    expect(await ratingsOf('Product', [newId('product'), pendingOnly])).toEqual([
      { average: null, count: 0 },
      { average: null, count: 0 },
    ]);
  });

  it('grows as more reviews are approved', async () => {
    const productId = newId('product');
    await fixtures.addReviews([{ productId, rating: 2 }]);
    expect(await ratingsOf('Product', [productId])).toEqual([{ average: 2, count: 1 }]);
    await fixtures.addReviews([{ productId, rating: 3 }]);
    expect(await ratingsOf('Product', [productId])).toEqual([{ average: 2.5, count: 2 }]);
  });
});

describe('rating constraints', () => {
  it.each([0, 6])('refuses a rating of %i and counts nothing', async (rating) => {
    const productId = newId('product');
    await expect(fixtures.addReviews([{ productId, rating }])).rejects.toThrow(/reviews_rating_check/);
    expect(await ratingsOf('Product', [productId])).toEqual([{ average: null, count: 0 }]);
  });
});

describe('Seller.rating', () => {
  it('aggregates the approved ratings of all the seller’s products', async () => {
    const sellerId = newId('seller');
    const [first, second] = [newId('product'), newId('product')];
    await fixtures.addReviews([
      { productId: first, sellerId, rating: 5 },
      { productId: first, sellerId, rating: 4 },
      { productId: second, sellerId, rating: 3 },
      { productId: second, sellerId, rating: 1, status: 'PENDING' },
      { productId: newId('product'), sellerId: newId('other-seller'), rating: 1 },
    ]);
    expect(await ratingsOf('Seller', [sellerId])).toEqual([{ average: 4, count: 3 }]);
    expect(await ratingsOf('Product', [first, second])).toEqual([
      { average: 4.5, count: 2 },
      { average: 3, count: 1 },
    ]);
  });

  it('has a null average and a zero count for a seller without approved reviews', async () => {
    expect(await ratingsOf('Seller', [newId('seller')])).toEqual([{ average: null, count: 0 }]);
  });
});
