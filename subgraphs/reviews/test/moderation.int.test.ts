import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import {
  addReview,
  moderate,
  moderateRequest,
  publicReviewIds,
  ratingOf,
  recordEvents,
  REVIEW_EVENT_TYPES,
  reviewSeenBy,
  validInput,
  type EventRecorder,
} from './api.ts';
import { admin, buyer, deliver, newId, openFixtures, type Fixtures } from './fixtures.ts';

let subgraph: TestSubgraph;
let fixtures: Fixtures;
let recorder: EventRecorder;

useTestSubgraph(reviewsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  fixtures = opened;
});
beforeAll(async () => {
  recorder = recordEvents(subgraph, REVIEW_EVENT_TYPES);
  await recorder.ready;
});
afterAll(async () => {
  await recorder?.stop();
});

// The contract's PendingReviews, less the fields other subgraphs resolve (product title, author name).
const PENDING_REVIEWS = `query PendingReviews($first: Int!, $after: String) {
  pendingReviews(first: $first, after: $after) {
    totalCount
    edges { cursor node { id status rating title body product { id } author { id } } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;

interface PendingPage {
  totalCount: number;
  edges: {
    cursor: string;
    node: {
      id: string;
      status: string;
      rating: number;
      title: string;
      body: string;
      product: { id: string };
      author: { id: string };
    };
  }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

function pendingRequest(as: Parameters<TestSubgraph['request']>[2], first: number, after?: string | null) {
  return subgraph.request<{ pendingReviews: PendingPage }>(PENDING_REVIEWS, { first, after }, as);
}

async function pendingPage(first: number, after?: string | null): Promise<PendingPage> {
  const response = await pendingRequest({ as: admin() }, first, after);
  expect(response.errors).toBeUndefined();
  return response.data!.pendingReviews;
}

/** A review held for moderation (it has a link), written through the API by a buyer who received it. */
async function pendingReview(rating = 2) {
  const author = buyer();
  const [productId, sellerId] = [newId('product'), newId('seller')];
  await deliver(subgraph, { buyerId: author.userId, sellerId, productIds: [productId] });
  const payload = await addReview(
    subgraph,
    author,
    validInput(productId, { rating, body: 'More photos on www.example.org' }),
  );
  expect(payload.review?.status).toBe('PENDING');
  return { id: payload.review!.id, author, productId, sellerId, rating };
}

const typesOf = async (reviewId: string) =>
  (
    await fixtures.prisma.outboxEvent.findMany({
      where: { aggregateId: reviewId },
      orderBy: { seq: 'asc' },
      select: { type: true },
    })
  ).map((r) => r.type);

describe('pendingReviews', () => {
  it('lists the PENDING reviews oldest first, with the total, page by page', async () => {
    const productId = newId('product');
    const old = (day: number) => new Date(Date.UTC(2001, 0, day));
    // Written long before anything else in this file, so they head the queue.
    const rows = await fixtures.addReviews([
      { productId, status: 'PENDING', createdAt: old(3), rating: 3 },
      { productId, status: 'PENDING', createdAt: old(1), rating: 1 },
      { productId, status: 'APPROVED', createdAt: old(1) },
      { productId, status: 'REJECTED', createdAt: old(1) },
      { productId, status: 'PENDING', createdAt: old(2), rating: 2 },
    ]);
    const expected = [rows[1]!, rows[4]!, rows[0]!];
    const total = await fixtures.prisma.review.count({ where: { status: 'PENDING' } });

    const first = await pendingPage(2);
    expect(first.totalCount).toBe(total);
    expect(first.edges.map((e) => e.node)).toEqual(
      expected.slice(0, 2).map((r) => ({
        id: r.id,
        status: 'PENDING',
        rating: r.rating,
        title: r.title,
        body: r.body,
        product: { id: productId },
        author: { id: r.authorId },
      })),
    );
    expect(first.pageInfo).toMatchObject({ hasNextPage: total > 2, hasPreviousPage: false });

    const second = await pendingPage(1, first.pageInfo.endCursor);
    expect(second.edges.map((e) => e.node.id)).toEqual([expected[2]!.id]);
    expect(second.pageInfo.hasPreviousPage).toBe(true);
  });

  it('includes reviews held by auto-moderation and drops them once decided', async () => {
    const review = await pendingReview();
    const ids = async () => (await pendingPage(100)).edges.map((e) => e.node.id);
    expect(await ids()).toContain(review.id);
    await moderate(subgraph, admin(), review.id, 'REJECT');
    expect(await ids()).not.toContain(review.id);
  });

  it('refuses buyers and sellers as FORBIDDEN and anonymous callers as UNAUTHENTICATED', async () => {
    await pendingReview();
    const asBuyer = await pendingRequest({ as: buyer() }, 10);
    expect(asBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(asBuyer.data ?? null).toBeNull();
    const asSeller = await pendingRequest(
      { as: { userId: newId('user'), scopes: ['buyer', 'seller'], sellerId: newId('seller') } },
      10,
    );
    expect(asSeller.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await pendingRequest({}, 10);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['first: 101', 101, null],
    ['a cursor this API did not issue', 5, 'not-a-cursor'],
  ])('refuses %s as BAD_USER_INPUT', async (_, first, after) => {
    const response = await pendingRequest({ as: admin() }, first, after);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('moderateReview', () => {
  it('APPROVE publishes the review and counts it in the product’s and the seller’s rating once', async () => {
    const review = await pendingReview(2);
    const payload = await moderate(subgraph, admin(), review.id, 'APPROVE');
    expect(payload).toEqual({
      review: expect.objectContaining({ id: review.id, status: 'APPROVED', rating: 2 }),
      userErrors: [],
    });
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: 2, count: 1 });
    expect(await ratingOf(subgraph, 'Seller', review.sellerId)).toEqual({ average: 2, count: 1 });
    expect(await publicReviewIds(subgraph, review.productId)).toEqual([review.id]);
    expect(await reviewSeenBy(subgraph, undefined, review.id)).toEqual({ id: review.id, status: 'APPROVED' });

    const again = await moderate(subgraph, admin(), review.id, 'APPROVE');
    expect(again).toEqual({
      review: null,
      userErrors: [
        {
          field: ['id'],
          code: 'INVALID_STATUS',
          message: `Review "${review.id}" is already APPROVED; only PENDING reviews can be moderated`,
        },
      ],
    });
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: 2, count: 1 });
  });

  it('counts a review approved by several admins at the same moment once', async () => {
    const review = await pendingReview(5);
    const payloads = await Promise.all(
      Array.from({ length: 6 }, () => moderate(subgraph, admin(), review.id, 'APPROVE')),
    );
    expect(payloads.filter((p) => p.review?.status === 'APPROVED')).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'INVALID_STATUS')).toHaveLength(5);
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: 5, count: 1 });
    expect(await ratingOf(subgraph, 'Seller', review.sellerId)).toEqual({ average: 5, count: 1 });
    expect(await typesOf(review.id)).toEqual(['review.submitted', 'review.approved']);
  });

  it('lets exactly one of an APPROVE and a REJECT sent at the same moment decide', async () => {
    const review = await pendingReview(4);
    const [approve, reject] = await Promise.all([
      moderate(subgraph, admin(), review.id, 'APPROVE'),
      moderate(subgraph, admin(), review.id, 'REJECT'),
    ]);
    const winner = approve.review ? 'APPROVED' : 'REJECTED';
    expect([approve, reject].filter((p) => p.review)).toHaveLength(1);
    expect([approve, reject].filter((p) => p.userErrors[0]?.code === 'INVALID_STATUS')).toHaveLength(1);
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual(
      winner === 'APPROVED' ? { average: 4, count: 1 } : { average: null, count: 0 },
    );
    expect((await typesOf(review.id)).slice(1)).toEqual([
      winner === 'APPROVED' ? 'review.approved' : 'review.rejected',
    ]);
  });

  it('REJECT hides the review from everyone but its author and admins, and leaves the ratings alone', async () => {
    const review = await pendingReview(1);
    const payload = await moderate(subgraph, admin(), review.id, 'REJECT');
    expect(payload.review).toMatchObject({ id: review.id, status: 'REJECTED' });
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: null, count: 0 });
    expect(await ratingOf(subgraph, 'Seller', review.sellerId)).toEqual({ average: null, count: 0 });
    expect(await publicReviewIds(subgraph, review.productId)).toEqual([]);
    expect(await reviewSeenBy(subgraph, undefined, review.id)).toBeNull();
    expect(await reviewSeenBy(subgraph, buyer(), review.id)).toBeNull();
    expect(await reviewSeenBy(subgraph, review.author, review.id)).toEqual({
      id: review.id,
      status: 'REJECTED',
    });
    expect((await moderate(subgraph, admin(), review.id, 'APPROVE')).userErrors).toEqual([
      expect.objectContaining({
        code: 'INVALID_STATUS',
        message: expect.stringContaining('already REJECTED'),
      }),
    ]);
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: null, count: 0 });
  });

  it('leaves the review PENDING and the ratings alone when the decision’s event cannot be written', async () => {
    const review = await pendingReview(3);
    await fixtures.prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_decisions() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type IN ('review.approved', 'review.rejected') THEN
          RAISE EXCEPTION 'outbox insert refused by the test';
        END IF;
        RETURN NEW;
      END $$`);
    await fixtures.prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_decisions BEFORE INSERT ON outbox_events
      FOR EACH ROW EXECUTE FUNCTION refuse_decisions()`);
    try {
      for (const decision of ['APPROVE', 'REJECT'] as const) {
        const response = await moderateRequest(subgraph, admin(), review.id, decision);
        expect(response.errors?.length).toBeGreaterThan(0);
      }
    } finally {
      await fixtures.prisma.$executeRawUnsafe('DROP TRIGGER refuse_decisions ON outbox_events');
      await fixtures.prisma.$executeRawUnsafe('DROP FUNCTION refuse_decisions()');
    }
    expect(await fixtures.prisma.review.findUnique({ where: { id: review.id } })).toMatchObject({
      status: 'PENDING',
      moderatedAt: null,
    });
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: null, count: 0 });
    expect(await typesOf(review.id)).toEqual(['review.submitted']);
    // Nothing half-written stands in the way of the next decision.
    expect((await moderate(subgraph, admin(), review.id, 'APPROVE')).review?.status).toBe('APPROVED');
    expect(await ratingOf(subgraph, 'Product', review.productId)).toEqual({ average: 3, count: 1 });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    expect(await moderate(subgraph, admin(), 'no-such-review', 'APPROVE')).toEqual({
      review: null,
      userErrors: [{ field: ['id'], code: 'NOT_FOUND', message: 'Review "no-such-review" was not found' }],
    });
  });

  it('refuses non-admins as FORBIDDEN and anonymous callers as UNAUTHENTICATED, deciding nothing', async () => {
    const review = await pendingReview();
    for (const [as, code] of [
      [review.author, 'FORBIDDEN'],
      [buyer(), 'FORBIDDEN'],
      [undefined, 'UNAUTHENTICATED'],
    ] as const) {
      const response = await moderateRequest(subgraph, as, review.id, 'APPROVE');
      expect(response.errors?.[0]?.extensions?.code).toBe(code);
    }
    expect(await reviewSeenBy(subgraph, review.author, review.id)).toMatchObject({ status: 'PENDING' });
    expect(await typesOf(review.id)).toEqual(['review.submitted']);
  });

  it('emits review.approved and review.rejected with the review’s reference', async () => {
    const [approved, rejected] = [await pendingReview(3), await pendingReview(2)];
    await moderate(subgraph, admin(), approved.id, 'APPROVE');
    await moderate(subgraph, admin(), rejected.id, 'REJECT');
    for (const [review, type] of [
      [approved, 'review.approved'],
      [rejected, 'review.rejected'],
    ] as const) {
      const events = await recorder.deliveredOf(review.id, 2);
      expect(events.map((e) => e.type)).toEqual(['review.submitted', type]);
      expect(events[1]!.data).toEqual({
        reviewId: review.id,
        productId: review.productId,
        sellerId: review.sellerId,
        authorId: review.author.userId,
        rating: review.rating,
      });
    }
  });
});
