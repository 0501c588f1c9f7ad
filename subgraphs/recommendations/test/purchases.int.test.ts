import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import { addLog2, orderLog2Weight } from '../src/model/popularity.ts';
import {
  envelope,
  marketOf,
  modelSnapshot,
  newId,
  openFixtures,
  paidEnvelope,
  type Market,
} from './fixtures.ts';

let subgraph: TestSubgraph;
let market: Market;
let fixtures: ReturnType<typeof openFixtures>;

useTestSubgraph(recommendationsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  market = marketOf(started);
  fixtures = opened;
});

const pairCount = async (a: string, b: string) =>
  (
    await fixtures.prisma.coPurchase.findUnique({
      where: { productId_otherId: { productId: a, otherId: b } },
    })
  )?.buyers ?? 0;
const statsOf = (productId: string) => fixtures.prisma.productStats.findUnique({ where: { productId } });

describe('paid orders (order.confirmed)', () => {
  it('counts the buyers of each product and of each pair, in both directions', async () => {
    const [a, b, c] = [newId('a'), newId('b'), newId('c')];
    await market.pay(newId('user'), [a, b]);
    await market.pay(newId('user'), [a, b, c]);
    expect(await pairCount(a, b)).toBe(2);
    expect(await pairCount(b, a)).toBe(2);
    expect(await pairCount(a, c)).toBe(1);
    expect(await pairCount(c, b)).toBe(1);
    expect((await statsOf(a))?.buyers).toBe(2);
    expect((await statsOf(c))?.buyers).toBe(1);
  });

  it('pairs what a buyer buys with what they bought before, once per buyer however often they reorder', async () => {
    const buyerId = newId('user');
    const [a, b] = [newId('a'), newId('b')];
    await market.pay(buyerId, [a]);
    await market.pay(buyerId, [b]);
    await market.pay(buyerId, [a, b]);
    expect(await pairCount(a, b)).toBe(1);
    expect(await statsOf(a)).toMatchObject({ buyers: 1, orders: 2 });
    const holdings = await fixtures.prisma.buyerProduct.findMany({
      where: { buyerId },
      orderBy: { productId: 'asc' },
    });
    expect(holdings.map((h) => [h.productId, h.orders])).toEqual([
      [a, 2],
      [b, 2],
    ]);
  });

  it('counts a line twice in one order, or two seller orders with the same product, as one product', async () => {
    const [a, b] = [newId('a'), newId('b')];
    await market.pay(newId('user'), [a, a, b]);
    expect(await statsOf(a)).toMatchObject({ buyers: 1, orders: 1 });
    expect(await pairCount(a, b)).toBe(1);
  });

  it('adds each order to the product’s popularity at the time it was paid', async () => {
    const a = newId('a');
    const first = new Date('2026-11-01T00:00:00Z');
    const second = new Date('2026-11-15T00:00:00Z');
    await market.pay(newId('user'), [a], { at: first });
    await market.pay(newId('user'), [a], { at: second });
    const expected = addLog2(orderLog2Weight(first), orderLog2Weight(second));
    expect((await statsOf(a))?.popularityLog2).toBeCloseTo(expected, 9);
  });

  it('applies an event delivered twice once, and an order confirmed twice (two events) once', async () => {
    const [a, b] = [newId('a'), newId('b')];
    const buyerId = newId('user');
    const orderId = newId('order');
    const event = paidEnvelope(orderId, buyerId, [a, b]);
    await subgraph.bus.publish([event]);
    await subgraph.bus.publish([event, event]);
    await subgraph.bus.publish([paidEnvelope(orderId, buyerId, [a, b])]);
    expect(await statsOf(a)).toMatchObject({ buyers: 1, orders: 1 });
    expect(await pairCount(a, b)).toBe(1);
    expect(await fixtures.prisma.inboxEvent.count({ where: { eventId: event.id } })).toBe(1);
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('loses no pair when two orders of one buyer are handled at the same time on different lanes', async () => {
    for (let round = 0; round < 5; round += 1) {
      const buyerId = newId('user');
      const products = Array.from({ length: 6 }, () => newId('p'));
      // Six orders of one buyer in one publish: the bus hands them to parallel lanes by order id.
      await subgraph.bus.publish(products.map((p) => paidEnvelope(newId('order'), buyerId, [p])));
      for (let i = 0; i < products.length; i += 1) {
        for (let j = i + 1; j < products.length; j += 1)
          expect(await pairCount(products[i]!, products[j]!)).toBe(1);
      }
    }
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
  });
});

describe('cancelled orders (order.cancelled)', () => {
  it('takes an order cancelled after payment out of the model exactly', async () => {
    const [a, b, c] = [newId('a'), newId('b'), newId('c')];
    const buyerId = newId('user');
    await market.pay(buyerId, [a, b], { at: new Date('2026-11-10T00:00:00Z') });
    await market.pay(newId('user'), [a, c], { at: new Date('2026-11-11T00:00:00Z') });
    const before = await modelSnapshot(fixtures.prisma);
    const orderId = await market.pay(buyerId, [b, c], { at: new Date('2026-11-12T00:00:00Z') });
    expect(await modelSnapshot(fixtures.prisma)).not.toEqual(before);
    await market.cancel(orderId, buyerId, 'CONFIRMED');
    expect(await modelSnapshot(fixtures.prisma)).toEqual(before);
  });

  it('keeps what the buyer still has from another order', async () => {
    const [a, b] = [newId('a'), newId('b')];
    const buyerId = newId('user');
    await market.pay(buyerId, [a]);
    const second = await market.pay(buyerId, [a, b]);
    await market.cancel(second, buyerId);
    expect(await statsOf(a)).toMatchObject({ buyers: 1, orders: 1 });
    expect(await statsOf(b)).toMatchObject({ buyers: 0, orders: 0, popularityLog2: null });
    expect(await pairCount(a, b)).toBe(0);
  });

  it('changes nothing for an order cancelled before payment, cancelled twice, or never seen', async () => {
    const [a, b] = [newId('a'), newId('b')];
    const buyerId = newId('user');
    await market.pay(buyerId, [a, b]);
    const paid = await market.pay(newId('user'), [a, b]);
    const before = await modelSnapshot(fixtures.prisma);
    await market.cancel(newId('order'), buyerId, 'PENDING');
    await market.cancel(newId('order'), buyerId, 'CONFIRMED');
    expect(await modelSnapshot(fixtures.prisma)).toEqual(before);
    await market.cancel(paid, buyerId);
    const after = await modelSnapshot(fixtures.prisma);
    await market.cancel(paid, buyerId);
    expect(await modelSnapshot(fixtures.prisma)).toEqual(after);
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
  });
});

describe('listings and shops', () => {
  it('keeps the latest snapshot, the first listing time, and stock from stock changes', async () => {
    const sellerId = await market.shop();
    const productId = await market.product(sellerId, { stock: 3 });
    const listedAt = (await fixtures.prisma.productListing.findUnique({ where: { productId } }))!.listedAt;
    await market.setStock(productId, sellerId, 0, 3);
    expect(await fixtures.prisma.productListing.findUnique({ where: { productId } })).toMatchObject({
      stock: 0,
      listedAt,
    });
    await market.publish(
      envelope('product.updated', productId, {
        productId,
        sellerId,
        categoryId: 'category-2',
        title: 'Renamed',
        price: { amountMinor: 1, currencyCode: 'EUR' },
        stock: 7,
      }),
    );
    expect(await fixtures.prisma.productListing.findUnique({ where: { productId } })).toMatchObject({
      stock: 7,
      categoryId: 'category-2',
      listedAt,
    });
  });

  it('ignores the stock of a product it never heard of', async () => {
    const productId = newId('product');
    await market.setStock(productId, newId('seller'), 5);
    expect(await fixtures.prisma.productListing.findUnique({ where: { productId } })).toBeNull();
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('follows a shop’s status', async () => {
    const sellerId = await market.shop('PENDING');
    await market.setShopStatus(sellerId, 'ACTIVE', 'SUSPENDED');
    expect((await fixtures.prisma.sellerState.findUnique({ where: { sellerId } }))?.status).toBe('ACTIVE');
  });
});
