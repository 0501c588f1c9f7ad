// What the write-path tests send to the reviews subgraph, and how they watch its events.
import type { EventEnvelope, EventType } from '@mp/events';
import type { GraphQLResponse, RequestOptions, TestSubgraph } from '@mp/testkit';
import { expect, vi } from 'vitest';
import { entitiesQuery } from './fixtures.ts';

type Caller = RequestOptions['as'];

export interface UserErrorResult {
  field: string[] | null;
  message: string;
  code: string;
}

export interface ReviewPayloadResult {
  review: { id: string; status: string; rating: number; title: string; body: string } | null;
  userErrors: UserErrorResult[];
}

export interface ReviewInput {
  productId: string;
  rating: number;
  title: string;
  body: string;
}

const PAYLOAD = 'review { id status rating title body } userErrors { field message code }';
const ADD_REVIEW = `mutation AddReview($input: AddReviewInput!) { addReview(input: $input) { ${PAYLOAD} } }`;
const MODERATE_REVIEW = `mutation ModerateReview($id: ID!, $decision: ReviewDecision!) {
  moderateReview(id: $id, decision: $decision) { ${PAYLOAD} }
}`;

export const validInput = (productId: string, change: Partial<ReviewInput> = {}): ReviewInput => ({
  productId,
  rating: 4,
  title: 'Does what it says',
  body: 'Sturdy, quiet and the battery lasts a full day.',
  ...change,
});

export function addReviewRequest(
  subgraph: TestSubgraph,
  as: Caller,
  input: ReviewInput,
): Promise<GraphQLResponse<{ addReview: ReviewPayloadResult }>> {
  return subgraph.request(ADD_REVIEW, { input }, as ? { as } : {});
}

/** addReview as `as`; fails the test on a top-level GraphQL error. */
export async function addReview(
  subgraph: TestSubgraph,
  as: Caller,
  input: ReviewInput,
): Promise<ReviewPayloadResult> {
  const response = await addReviewRequest(subgraph, as, input);
  expect(response.errors).toBeUndefined();
  return response.data!.addReview;
}

export function moderateRequest(
  subgraph: TestSubgraph,
  as: Caller,
  id: string,
  decision: 'APPROVE' | 'REJECT',
): Promise<GraphQLResponse<{ moderateReview: ReviewPayloadResult }>> {
  return subgraph.request(MODERATE_REVIEW, { id, decision }, as ? { as } : {});
}

export async function moderate(
  subgraph: TestSubgraph,
  as: Caller,
  id: string,
  decision: 'APPROVE' | 'REJECT',
): Promise<ReviewPayloadResult> {
  const response = await moderateRequest(subgraph, as, id, decision);
  expect(response.errors).toBeUndefined();
  return response.data!.moderateReview;
}

export interface RatingResult {
  average: number | null;
  count: number;
}

/** A product's or seller's rating as the gateway would ask for it. */
export async function ratingOf(
  subgraph: TestSubgraph,
  typename: 'Product' | 'Seller',
  id: string,
): Promise<RatingResult> {
  const response = await subgraph.request<{ _entities: { rating: RatingResult }[] }>(
    entitiesQuery(`... on ${typename} { rating { average count } }`),
    { representations: [{ __typename: typename, id }] },
  );
  expect(response.errors).toBeUndefined();
  return response.data!._entities[0]!.rating;
}

/** The ids of a product's public (approved) reviews. */
export async function publicReviewIds(subgraph: TestSubgraph, productId: string): Promise<string[]> {
  const response = await subgraph.request<{
    _entities: { reviews: { edges: { node: { id: string } }[] } }[];
  }>(entitiesQuery('... on Product { reviews(first: 100) { edges { node { id } } } }'), {
    representations: [{ __typename: 'Product', id: productId }],
  });
  expect(response.errors).toBeUndefined();
  return response.data!._entities[0]!.reviews.edges.map((e) => e.node.id);
}

/** `review(id)` as `as` sees it: null when hidden. */
export async function reviewSeenBy(
  subgraph: TestSubgraph,
  as: Caller,
  id: string,
): Promise<{ id: string; status: string } | null> {
  const response = await subgraph.request<{ review: { id: string; status: string } | null }>(
    'query ($id: ID!) { review(id: $id) { id status } }',
    { id },
    as ? { as } : {},
  );
  expect(response.errors).toBeUndefined();
  return response.data!.review;
}

export const REVIEW_EVENT_TYPES = ['review.submitted', 'review.approved', 'review.rejected'] as const;

/** Records what the relay publishes on the subgraph's bus, as another subgraph's consumer would get it. */
export interface EventRecorder {
  ready: Promise<void>;
  /** Waits until exactly `count` events of the aggregate were delivered, and returns them in order. */
  deliveredOf: (aggregateId: string, count: number) => Promise<EventEnvelope[]>;
  stop: () => Promise<void>;
}

export function recordEvents(subgraph: TestSubgraph, types: readonly EventType[]): EventRecorder {
  const delivered: EventEnvelope[] = [];
  const subscription = subgraph.bus.subscribe('test-recorder', types, async (events) => {
    delivered.push(...events);
  });
  return {
    ready: subscription.ready,
    deliveredOf: (aggregateId, count) =>
      vi.waitFor(
        () => {
          const events = delivered.filter((e) => e.aggregateId === aggregateId);
          expect(events).toHaveLength(count);
          return events;
        },
        { timeout: 5_000, interval: 20 },
      ),
    stop: () => subscription.unsubscribe(),
  };
}
