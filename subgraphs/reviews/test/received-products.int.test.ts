import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { reviewsSubgraph } from '../src/subgraph.ts';
import { addReview, validInput } from './api.ts';
import { buyer, deliver, deliveredEnvelope, newId, openFixtures, type Fixtures } from './fixtures.ts';

let subgraph: TestSubgraph;
let fixtures: Fixtures;

useTestSubgraph(reviewsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  fixtures = opened;
});

function receivedBy(buyerId: string) {
  return fixtures.prisma.receivedProduct.findMany({
    where: { buyerId },
    orderBy: { productId: 'asc' },
    select: { productId: true, sellerId: true, receivedAt: true },
  });
}

describe('shipment.delivered', () => {
  it('remembers every product of the shipment as received by the buyer from the seller', async () => {
    const { userId: buyerId } = buyer();
    const sellerId = newId('seller');
    const productIds = [newId('product-a'), newId('product-b')].sort();
    await deliver(subgraph, { buyerId, sellerId, productIds, deliveredAt: '2026-11-20T15:04:05.678Z' });
    expect(await receivedBy(buyerId)).toEqual(
      productIds.map((productId) => ({
        productId,
        sellerId,
        receivedAt: new Date('2026-11-20T15:04:05.678Z'),
      })),
    );
  });

  it('applies the same event delivered twice once', async () => {
    const { userId: buyerId } = buyer();
    const envelope = deliveredEnvelope({
      buyerId,
      sellerId: newId('seller'),
      productIds: [newId('product')],
    });
    await subgraph.bus.publish([envelope]);
    const inboxRows = await fixtures.prisma.inboxEvent.count({ where: { eventId: envelope.id } });
    await subgraph.bus.publish([envelope]);
    await subgraph.bus.publish([envelope, envelope]);
    expect(await receivedBy(buyerId)).toHaveLength(1);
    expect(inboxRows).toBe(1);
    expect(await fixtures.prisma.inboxEvent.count({ where: { eventId: envelope.id } })).toBe(1);
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('keeps the first delivery when the same product is delivered again by another shipment', async () => {
    const { userId: buyerId } = buyer();
    const [productId, sellerId] = [newId('product'), newId('seller')];
    await deliver(subgraph, {
      buyerId,
      sellerId,
      productIds: [productId],
      deliveredAt: '2026-11-01T00:00:00.000Z',
    });
    await deliver(subgraph, {
      buyerId,
      sellerId,
      productIds: [productId, productId],
      deliveredAt: '2026-11-09T00:00:00.000Z',
    });
    expect(await receivedBy(buyerId)).toEqual([
      { productId, sellerId, receivedAt: new Date('2026-11-01T00:00:00.000Z') },
    ]);
  });

  it('falls back to when the event was written when deliveredAt cannot be read', async () => {
    const { userId: buyerId } = buyer();
    const envelope = deliveredEnvelope({
      buyerId,
      sellerId: newId('seller'),
      productIds: [newId('product')],
      deliveredAt: 'yesterday',
    });
    await subgraph.bus.publish([envelope]);
    const [row] = await receivedBy(buyerId);
    expect(row?.receivedAt).toEqual(new Date(envelope.occurredAt));
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('lets only the buyer it was delivered to review the product', async () => {
    const [receiver, someoneElse] = [buyer(), buyer()];
    const productId = newId('product');
    await deliver(subgraph, { buyerId: receiver.userId, sellerId: newId('seller'), productIds: [productId] });
    expect((await addReview(subgraph, someoneElse, validInput(productId))).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_RECEIVED' }),
    ]);
    expect((await addReview(subgraph, receiver, validInput(productId))).userErrors).toEqual([]);
  });
});
