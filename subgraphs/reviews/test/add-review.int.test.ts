import { randomUUID } from 'node:crypto';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import {
  addReview,
  addReviewRequest,
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

/** A buyer who received a fresh product from a fresh seller. */
async function deliveredProduct() {
  const caller = buyer();
  const [productId, sellerId] = [newId('product'), newId('seller')];
  await deliver(subgraph, { buyerId: caller.userId, sellerId, productIds: [productId] });
  return { caller, productId, sellerId };
}

/** Everything addReview could have written: reviews, rating totals and outbox rows. */
async function writtenRows() {
  const { prisma } = fixtures;
  return {
    reviews: await prisma.review.count(),
    productRatings: await prisma.productRating.count(),
    sellerRatings: await prisma.sellerRating.count(),
    events: await prisma.outboxEvent.count(),
  };
}

function outboxOf(reviewId: string) {
  return fixtures.prisma.outboxEvent.findMany({
    where: { aggregateId: reviewId },
    orderBy: { seq: 'asc' },
    select: { type: true, data: true },
  });
}

describe('addReview', () => {
  it('refuses a review of a product that was not delivered to the caller, and writes nothing', async () => {
    const before = await writtenRows();
    const productId = newId('product');
    const payload = await addReview(subgraph, buyer(), validInput(productId));
    expect(payload).toEqual({
      review: null,
      userErrors: [
        {
          field: ['input', 'productId'],
          code: 'NOT_RECEIVED',
          message: `You can review product "${productId}" only after it was delivered to you`,
        },
      ],
    });
    expect(await writtenRows()).toEqual(before);
  });

  it('publishes a review of a delivered product at once and counts it in the product’s and the delivering seller’s rating', async () => {
    const { caller, productId, sellerId } = await deliveredProduct();
    expect(await ratingOf(subgraph, 'Product', productId)).toEqual({ average: null, count: 0 });

    const payload = await addReview(subgraph, caller, validInput(productId, { rating: 3 }));
    expect(payload.userErrors).toEqual([]);
    expect(payload.review).toMatchObject({ status: 'APPROVED', rating: 3 });

    const id = payload.review!.id;
    expect(await ratingOf(subgraph, 'Product', productId)).toEqual({ average: 3, count: 1 });
    expect(await ratingOf(subgraph, 'Seller', sellerId)).toEqual({ average: 3, count: 1 });
    expect(await publicReviewIds(subgraph, productId)).toEqual([id]);
    expect(await reviewSeenBy(subgraph, undefined, id)).toEqual({ id, status: 'APPROVED' });
    expect(await fixtures.prisma.review.findUnique({ where: { id } })).toMatchObject({
      productId,
      sellerId,
      authorId: caller.userId,
      moderationReason: null,
      moderatedAt: expect.any(Date),
    });
  });

  it('stores title and body trimmed', async () => {
    const { caller, productId } = await deliveredProduct();
    const payload = await addReview(
      subgraph,
      caller,
      validInput(productId, { title: '  Quiet fan \n', body: '\tRuns all night without a sound.  ' }),
    );
    expect(payload.review).toMatchObject({ title: 'Quiet fan', body: 'Runs all night without a sound.' });
  });

  it('holds a review with a link as PENDING: ratings unchanged, hidden from others, queued for admins with the reason', async () => {
    const { caller, productId, sellerId } = await deliveredProduct();
    const payload = await addReview(
      subgraph,
      caller,
      validInput(productId, { body: 'Cheaper at https://deals.example/x' }),
    );
    expect(payload.userErrors).toEqual([]);
    expect(payload.review).toMatchObject({ status: 'PENDING', rating: 4 });
    const id = payload.review!.id;

    expect(await ratingOf(subgraph, 'Product', productId)).toEqual({ average: null, count: 0 });
    expect(await ratingOf(subgraph, 'Seller', sellerId)).toEqual({ average: null, count: 0 });
    expect(await publicReviewIds(subgraph, productId)).toEqual([]);
    expect(await reviewSeenBy(subgraph, buyer(), id)).toBeNull();
    expect(await reviewSeenBy(subgraph, caller, id)).toEqual({ id, status: 'PENDING' });

    const asAdmin = await subgraph.request<{ review: { moderationReason: string | null } }>(
      'query ($id: ID!) { review(id: $id) { moderationReason } }',
      { id },
      { as: admin() },
    );
    expect(asAdmin.data?.review.moderationReason).toBe('contains a link: "https://deals.example/x"');
    const asAuthor = await subgraph.request(
      'query ($id: ID!) { review(id: $id) { moderationReason } }',
      { id },
      { as: caller },
    );
    expect(asAuthor.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a second review of the same product (ALREADY_REVIEWED) and leaves the first as it was', async () => {
    const { caller, productId } = await deliveredProduct();
    const first = await addReview(subgraph, caller, validInput(productId, { rating: 5 }));
    const before = await writtenRows();
    const second = await addReview(
      subgraph,
      caller,
      validInput(productId, { rating: 1, title: 'Changed my mind' }),
    );
    expect(second).toEqual({
      review: null,
      userErrors: [
        {
          field: ['input', 'productId'],
          code: 'ALREADY_REVIEWED',
          message: `You have already reviewed product "${productId}"; each product can be reviewed once`,
        },
      ],
    });
    expect(await writtenRows()).toEqual(before);
    expect(await ratingOf(subgraph, 'Product', productId)).toEqual({ average: 5, count: 1 });
    expect(await reviewSeenBy(subgraph, undefined, first.review!.id)).toMatchObject({ status: 'APPROVED' });
  });

  it('accepts exactly one of several reviews of one product sent at the same moment', async () => {
    const { caller, productId } = await deliveredProduct();
    const payloads = await Promise.all(
      [1, 2, 3, 4, 5].map((rating) => addReview(subgraph, caller, validInput(productId, { rating }))),
    );
    const accepted = payloads.filter((p) => p.review);
    expect(accepted).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'ALREADY_REVIEWED')).toHaveLength(4);
    expect(await ratingOf(subgraph, 'Product', productId)).toEqual({
      average: accepted[0]!.review!.rating,
      count: 1,
    });
    expect(
      await fixtures.prisma.outboxEvent.count({
        where: { data: { path: ['productId'], equals: productId } },
      }),
    ).toBe(2);
  });

  it.each([
    ['a rating of 0', { rating: 0 }, 'rating', 'got 0'],
    ['a rating of 6', { rating: 6 }, 'rating', 'got 6'],
    ['an empty title', { title: '   ' }, 'title', 'got 0'],
    ['a 121-character title', { title: 't'.repeat(121) }, 'title', 'got 121'],
    ['an empty body', { body: '' }, 'body', 'got 0'],
    ['a 5,001-character body', { body: 'b'.repeat(5_001) }, 'body', 'got 5001'],
  ])(
    'refuses %s as INVALID_INPUT naming the value, and writes nothing',
    async (_, change, field, fragment) => {
      const { caller, productId } = await deliveredProduct();
      const before = await writtenRows();
      const payload = await addReview(subgraph, caller, validInput(productId, change));
      expect(payload.review).toBeNull();
      expect(payload.userErrors).toEqual([
        { field: ['input', field], code: 'INVALID_INPUT', message: expect.stringContaining(fragment) },
      ]);
      expect(await writtenRows()).toEqual(before);
      expect(await ratingOf(subgraph, 'Product', productId)).toEqual({ average: null, count: 0 });
    },
  );

  it('reports bad input and an undelivered product together', async () => {
    const payload = await addReview(
      subgraph,
      buyer(),
      validInput(newId('product'), { rating: 9, title: '' }),
    );
    expect(payload.userErrors.map((e) => e.code)).toEqual(['INVALID_INPUT', 'INVALID_INPUT', 'NOT_RECEIVED']);
  });

  it('refuses an anonymous caller as UNAUTHENTICATED and writes nothing', async () => {
    const { productId } = await deliveredProduct();
    const before = await writtenRows();
    const response = await addReviewRequest(subgraph, undefined, validInput(productId));
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.data ?? null).toBeNull();
    expect(await writtenRows()).toEqual(before);
  });
});

describe('review events', () => {
  it('emits review.submitted (APPROVED) and review.approved for a review approved at once', async () => {
    const { caller, productId, sellerId } = await deliveredProduct();
    const id = (await addReview(subgraph, caller, validInput(productId, { rating: 5 }))).review!.id;
    const ref = { reviewId: id, productId, sellerId, authorId: caller.userId, rating: 5 };
    const events = await recorder.deliveredOf(id, 2);
    expect(events.map((e) => [e.type, e.aggregateId, e.data])).toEqual([
      ['review.submitted', id, { ...ref, status: 'APPROVED' }],
      ['review.approved', id, ref],
    ]);
    expect((await outboxOf(id)).map((r) => r.type)).toEqual(['review.submitted', 'review.approved']);
  });

  it('emits only review.submitted (PENDING) for a review held for moderation', async () => {
    const { caller, productId, sellerId } = await deliveredProduct();
    const id = (
      await addReview(
        subgraph,
        caller,
        validInput(productId, { title: 'ALL CAPS TITLE', body: 'THIS PRODUCT IS AMAZING BUY IT' }),
      )
    ).review!.id;
    const [event] = await recorder.deliveredOf(id, 1);
    expect(event).toMatchObject({
      type: 'review.submitted',
      data: { reviewId: id, productId, sellerId, authorId: caller.userId, rating: 4, status: 'PENDING' },
    });
    expect((await outboxOf(id)).map((r) => r.type)).toEqual(['review.submitted']);
  });

  it('rolls the review and its rating back when its event cannot be written', async () => {
    const { caller, productId } = await deliveredProduct();
    const before = await writtenRows();
    await fixtures.prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_review_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'review.approved' THEN RAISE EXCEPTION 'outbox insert refused by the test'; END IF;
        RETURN NEW;
      END $$`);
    await fixtures.prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_review_events BEFORE INSERT ON outbox_events
      FOR EACH ROW EXECUTE FUNCTION refuse_review_events()`);
    try {
      const response = await addReviewRequest(subgraph, caller, validInput(productId));
      expect(response.errors?.length).toBeGreaterThan(0);
    } finally {
      await fixtures.prisma.$executeRawUnsafe('DROP TRIGGER refuse_review_events ON outbox_events');
      await fixtures.prisma.$executeRawUnsafe('DROP FUNCTION refuse_review_events()');
    }
    expect(await writtenRows()).toEqual(before);
    expect(await ratingOf(subgraph, 'Product', productId)).toEqual({ average: null, count: 0 });
    // Nothing half-written stands in the way: the same review goes through now.
    expect((await addReview(subgraph, caller, validInput(productId))).review?.status).toBe('APPROVED');
  });

  it('emits nothing for refused reviews', async () => {
    const before = await fixtures.prisma.outboxEvent.count();
    await addReview(subgraph, buyer(), validInput(newId('product')));
    await addReview(subgraph, buyer(randomUUID()), validInput(newId('product'), { rating: 0 }));
    expect(await fixtures.prisma.outboxEvent.count()).toBe(before);
  });
});
