import { randomUUID } from 'node:crypto';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { entitiesQuery, newId, openFixtures, type Fixtures } from './fixtures.ts';

const REVIEW = `query ($id: ID!) {
  review(id: $id) { id status rating title body createdAt product { id } author { id } }
}`;
const REVIEW_ENTITY = entitiesQuery('... on Review { id status }');

let subgraph: TestSubgraph;
let fixtures: Fixtures;

useTestSubgraph(reviewsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  fixtures = opened;
});

type Caller = { userId: string; scopes?: ('buyer' | 'admin')[] } | undefined;

async function seenBy(caller: Caller, id: string) {
  const options = caller ? { as: caller } : {};
  const viaQuery = await subgraph.request<{ review: { id: string; status: string } | null }>(
    REVIEW,
    { id },
    options,
  );
  const viaEntities = await subgraph.request<{ _entities: ({ id: string; status: string } | null)[] }>(
    REVIEW_ENTITY,
    { representations: [{ __typename: 'Review', id }] },
    options,
  );
  expect(viaQuery.errors).toBeUndefined();
  expect(viaEntities.errors).toBeUndefined();
  return { query: viaQuery.data?.review ?? null, entity: viaEntities.data?._entities[0] ?? null };
}

describe('review visibility', () => {
  it.each(['PENDING', 'REJECTED'] as const)(
    'hides a %s review from other users and anonymous callers',
    async (status) => {
      const [review] = await fixtures.addReviews([{ productId: newId('product'), status }]);
      for (const caller of [{ userId: randomUUID() }, undefined]) {
        expect(await seenBy(caller, review!.id)).toEqual({ query: null, entity: null });
      }
    },
  );

  it('shows a pending review to its author', async () => {
    const authorId = randomUUID();
    const [review] = await fixtures.addReviews([
      { productId: newId('product'), authorId, status: 'PENDING' },
    ]);
    const seen = await seenBy({ userId: authorId }, review!.id);
    expect(seen.query).toMatchObject({ id: review!.id, status: 'PENDING', author: { id: authorId } });
    expect(seen.entity).toEqual({ id: review!.id, status: 'PENDING' });
  });

  it('shows a pending review to admins', async () => {
    const [review] = await fixtures.addReviews([{ productId: newId('product'), status: 'PENDING' }]);
    const seen = await seenBy({ userId: randomUUID(), scopes: ['buyer', 'admin'] }, review!.id);
    expect(seen.entity).toEqual({ id: review!.id, status: 'PENDING' });
  });

  it('shows an approved review to everyone, with its product and author references', async () => {
    const productId = newId('product');
    const [review] = await fixtures.addReviews([
      { productId, rating: 4, createdAt: new Date('2026-10-05T10:00:00Z') },
    ]);
    const seen = await seenBy(undefined, review!.id);
    expect(seen.query).toEqual({
      id: review!.id,
      status: 'APPROVED',
      rating: 4,
      title: review!.title,
      body: review!.body,
      createdAt: '2026-10-05T10:00:00.000Z',
      product: { id: productId },
      author: { id: review!.authorId },
    });
    expect(seen.entity).toEqual({ id: review!.id, status: 'APPROVED' });
  });

  it('answers null for ids that do not exist, whatever their shape', async () => {
    for (const id of ['no-such-review', '', "'; DROP TABLE reviews; --", 'x'.repeat(500)]) {
      expect(await seenBy(undefined, id)).toEqual({ query: null, entity: null });
    }
  });

  it('never lists a pending review in a product page, not even to its author', async () => {
    const productId = newId('product');
    const authorId = randomUUID();
    const [approved] = await fixtures.addReviews([{ productId }, { productId, authorId, status: 'PENDING' }]);
    const response = await subgraph.request<{
      _entities: { reviews: { edges: { node: { id: string } }[] } }[];
    }>(
      entitiesQuery('... on Product { reviews { edges { node { id } } } }'),
      { representations: [{ __typename: 'Product', id: productId }] },
      { as: { userId: authorId } },
    );
    expect(response.data?._entities[0]?.reviews.edges.map((e) => e.node.id)).toEqual([approved!.id]);
  });
});
