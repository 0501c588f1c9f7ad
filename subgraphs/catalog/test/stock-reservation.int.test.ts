import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventType, Subscription } from '@mp/events';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDb, type CatalogDb } from '../src/db.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import { envelope, sellerIdentity } from './helpers.ts';
import {
  atelierId,
  createStockedProduct,
  expectConsistent,
  northwindId,
  orderCancelled,
  orderConfirmed,
  orderPlaced,
  outboxOf,
} from './stock-helpers.ts';

let catalog: TestSubgraph;
let db: CatalogDb;
let recorder: Subscription | undefined;
/** Every stock event the relay published after the recorder subscribed, in delivery order. */
const delivered: EventEnvelope[] = [];
const RECORDED: EventType[] = ['stock.reserved', 'stock.rejected', 'stock.released', 'product.stock_changed'];

useTestSubgraph(catalogSubgraph, { seed: true, open: openDb }, async (started, opened) => {
  catalog = started;
  db = opened;
  recorder = catalog.bus.subscribe('test-recorder', RECORDED, async (events) => {
    delivered.push(...events);
  });
  await recorder.ready;
});
afterAll(async () => {
  await recorder?.unsubscribe();
});

const newOrderId = () => `order-${randomUUID()}`;
const product = (stock: number, sellerId?: string) => createStockedProduct(db.prisma, stock, sellerId);
const consistent = (productId: string, total: number) => expectConsistent(db.prisma, productId, total);
/** Publishing resolves once catalog's consumer has committed its effect (in-process bus). */
const publish = (...events: EventEnvelope[]) => catalog.bus.publish(events);

/** Waits until the relay delivered `count` recorded events of the aggregate, and returns them. */
async function deliveredOf(aggregateId: string, count: number): Promise<EventEnvelope[]> {
  return vi.waitFor(
    () => {
      const events = delivered.filter((e) => e.aggregateId === aggregateId);
      expect(events).toHaveLength(count);
      return events;
    },
    { timeout: 5_000, interval: 20 },
  );
}

const typesOf = async (aggregateId: string) => (await outboxOf(db.prisma, aggregateId)).map((r) => r.type);

function reservationsOf(orderId: string) {
  return db.prisma.stockReservation.findMany({
    where: { orderId },
    orderBy: { productId: 'asc' },
    select: { productId: true, quantity: true, status: true },
  });
}

describe('order.placed', () => {
  it('reserves every line of a two-shop order, with stock.reserved and a product.stock_changed per product', async () => {
    const radio = await product(5);
    const lamp = await product(3, atelierId);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        { sellerId: northwindId, items: [{ productId: radio, quantity: 2 }] },
        { sellerId: atelierId, items: [{ productId: lamp, quantity: 3 }] },
      ]),
    );

    expect(await consistent(radio, 5)).toEqual({ stock: 3, reserved: 2, sold: 0 });
    expect(await consistent(lamp, 3)).toEqual({ stock: 0, reserved: 3, sold: 0 });
    const lines = [
      { productId: radio, quantity: 2 },
      { productId: lamp, quantity: 3 },
    ].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    expect(await reservationsOf(orderId)).toEqual(lines.map((l) => ({ ...l, status: 'RESERVED' })));

    const [reserved] = await deliveredOf(orderId, 1);
    expect(reserved).toMatchObject({ type: 'stock.reserved', data: { orderId, lines } });
    const [radioChange] = await deliveredOf(radio, 1);
    expect(radioChange).toMatchObject({
      type: 'product.stock_changed',
      data: { productId: radio, sellerId: northwindId, stock: 3, previousStock: 5 },
    });
    const [lampChange] = await deliveredOf(lamp, 1);
    expect(lampChange!.data).toEqual({ productId: lamp, sellerId: atelierId, stock: 0, previousStock: 3 });
  });

  it('sums lines that name the same product, in one reservation row', async () => {
    const radio = await product(5);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        {
          sellerId: northwindId,
          items: [
            { productId: radio, quantity: 1 },
            { productId: radio, quantity: 3 },
          ],
        },
      ]),
    );
    expect(await consistent(radio, 5)).toEqual({ stock: 1, reserved: 4, sold: 0 });
    expect(await reservationsOf(orderId)).toEqual([{ productId: radio, quantity: 4, status: 'RESERVED' }]);
    expect((await outboxOf(db.prisma, orderId))[0]).toEqual({
      type: 'stock.reserved',
      data: { orderId, lines: [{ productId: radio, quantity: 4 }] },
    });
  });

  it('rejects the whole order as OUT_OF_STOCK when any line is short, naming only the short lines', async () => {
    const plenty = await product(5);
    const few = await product(1);
    const none = await product(0);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        {
          sellerId: northwindId,
          items: [
            { productId: plenty, quantity: 2 },
            { productId: few, quantity: 2 },
            { productId: none, quantity: 1 },
          ],
        },
      ]),
    );

    const [rejected] = await deliveredOf(orderId, 1);
    expect(rejected).toMatchObject({
      type: 'stock.rejected',
      data: { orderId, reason: 'OUT_OF_STOCK', productIds: [few, none].sort() },
    });
    expect(await reservationsOf(orderId)).toEqual([]);
    expect(await consistent(plenty, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
    expect(await consistent(few, 1)).toEqual({ stock: 1, reserved: 0, sold: 0 });
    for (const id of [plenty, few, none]) expect(await typesOf(id)).toEqual([]);
  });

  it('rejects an order whose lines of one product together exceed its stock', async () => {
    const radio = await product(3);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        {
          sellerId: northwindId,
          items: [
            { productId: radio, quantity: 2 },
            { productId: radio, quantity: 2 },
          ],
        },
      ]),
    );
    expect(await outboxOf(db.prisma, orderId)).toEqual([
      { type: 'stock.rejected', data: { orderId, reason: 'OUT_OF_STOCK', productIds: [radio] } },
    ]);
    expect(await consistent(radio, 3)).toEqual({ stock: 3, reserved: 0, sold: 0 });
  });

  it('rejects an order naming an unknown product as PRODUCT_UNAVAILABLE and reserves none of its lines', async () => {
    const radio = await product(5);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        {
          sellerId: northwindId,
          items: [
            { productId: radio, quantity: 1 },
            { productId: 'no-such-product', quantity: 1 },
          ],
        },
      ]),
    );
    expect(await outboxOf(db.prisma, orderId)).toEqual([
      {
        type: 'stock.rejected',
        data: { orderId, reason: 'PRODUCT_UNAVAILABLE', productIds: ['no-such-product'] },
      },
    ]);
    expect(await reservationsOf(orderId)).toEqual([]);
    expect(await consistent(radio, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
  });

  it('rejects products of a suspended shop or of a shop catalog never heard of as PRODUCT_UNAVAILABLE, before any stock check', async () => {
    const suspendedShop = `shop-${randomUUID()}`;
    await db.prisma.sellerState.create({
      data: { sellerId: suspendedShop, ownerId: `owner-${randomUUID()}`, status: 'SUSPENDED' },
    });
    const ofSuspended = await product(5, suspendedShop);
    const ofUnknownShop = await product(5, `shop-${randomUUID()}`);
    const short = await product(0);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        { sellerId: northwindId, items: [{ productId: short, quantity: 1 }] },
        { sellerId: suspendedShop, items: [{ productId: ofSuspended, quantity: 1 }] },
        { sellerId: 'unknown', items: [{ productId: ofUnknownShop, quantity: 1 }] },
      ]),
    );
    expect(await outboxOf(db.prisma, orderId)).toEqual([
      {
        type: 'stock.rejected',
        data: { orderId, reason: 'PRODUCT_UNAVAILABLE', productIds: [ofSuspended, ofUnknownShop].sort() },
      },
    ]);
    for (const id of [ofSuspended, ofUnknownShop]) {
      expect(await consistent(id, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
    }
  });

  it('reserves a shop’s products again once catalog hears the shop is ACTIVE', async () => {
    const shop = `shop-${randomUUID()}`;
    const radio = await product(2, shop);
    const first = newOrderId();
    await publish(orderPlaced(first, [{ sellerId: shop, items: [{ productId: radio, quantity: 1 }] }]));
    expect(await typesOf(first)).toEqual(['stock.rejected']);

    const owner = { sellerId: shop, ownerId: `owner-${randomUUID()}` };
    await publish(envelope('seller.created', shop, { ...owner, name: 'Late Shop', status: 'ACTIVE' }));
    const second = newOrderId();
    await publish(orderPlaced(second, [{ sellerId: shop, items: [{ productId: radio, quantity: 1 }] }]));
    expect(await typesOf(second)).toEqual(['stock.reserved']);
    expect(await consistent(radio, 2)).toEqual({ stock: 1, reserved: 1, sold: 0 });
  });

  it('applies a redelivered order.placed once, and ignores a second order.placed for an order it handled', async () => {
    const radio = await product(5);
    const orderId = newOrderId();
    const placed = orderPlaced(orderId, [
      { sellerId: northwindId, items: [{ productId: radio, quantity: 2 }] },
    ]);
    await publish(placed);
    await publish(placed);
    await publish(placed, placed);
    // A different event id for the same order gets past the inbox; the reservation rows stop it.
    await publish(
      orderPlaced(orderId, [{ sellerId: northwindId, items: [{ productId: radio, quantity: 2 }] }]),
    );

    expect(await consistent(radio, 5)).toEqual({ stock: 3, reserved: 2, sold: 0 });
    expect(await reservationsOf(orderId)).toEqual([{ productId: radio, quantity: 2, status: 'RESERVED' }]);
    expect(await typesOf(orderId)).toEqual(['stock.reserved']);
    expect(await typesOf(radio)).toEqual(['product.stock_changed']);
  });

  it('shows reserved units as gone from the GraphQL stock, and keeps them apart from the seller’s setStock', async () => {
    const radio = await product(2);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [{ sellerId: northwindId, items: [{ productId: radio, quantity: 2 }] }]),
    );
    const query = `query($id: ID!) { product(id: $id) { stock inStock } }`;
    expect((await catalog.request(query, { id: radio })).data).toEqual({
      product: { stock: 0, inStock: false },
    });

    // The seller restocks to 10 available units: reserved units stay reserved, on top of them.
    const SET_STOCK = `mutation($id: ID!) { setStock(productId: $id, quantity: 10) { product { stock } userErrors { code } } }`;
    const restocked = await catalog.request(SET_STOCK, { id: radio }, { as: sellerIdentity('northwind') });
    expect(restocked.data).toEqual({ setStock: { product: { stock: 10 }, userErrors: [] } });
    expect(await consistent(radio, 12)).toEqual({ stock: 10, reserved: 2, sold: 0 });

    await publish(orderCancelled(orderId));
    expect(await consistent(radio, 12)).toEqual({ stock: 12, reserved: 0, sold: 0 });
    expect((await catalog.request(query, { id: radio })).data).toEqual({
      product: { stock: 12, inStock: true },
    });
  });
});

describe('order.confirmed', () => {
  it('turns the order’s reserved units into sold ones, once, without a stock event', async () => {
    const radio = await product(5);
    const lamp = await product(4, atelierId);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [
        { sellerId: northwindId, items: [{ productId: radio, quantity: 2 }] },
        { sellerId: atelierId, items: [{ productId: lamp, quantity: 1 }] },
      ]),
    );
    await publish(orderConfirmed(orderId, northwindId, [{ productId: radio, quantity: 2 }]));
    await publish(orderConfirmed(orderId, northwindId, [{ productId: radio, quantity: 2 }]));

    expect(await consistent(radio, 5)).toEqual({ stock: 3, reserved: 0, sold: 2 });
    expect(await consistent(lamp, 4)).toEqual({ stock: 3, reserved: 0, sold: 1 });
    expect((await reservationsOf(orderId)).map((r) => r.status)).toEqual(['SOLD', 'SOLD']);
    expect(await typesOf(orderId)).toEqual(['stock.reserved']);
    expect(await typesOf(radio)).toEqual(['product.stock_changed']);
  });

  it('changes nothing for an order catalog never reserved', async () => {
    const radio = await product(5);
    const orderId = newOrderId();
    await publish(orderConfirmed(orderId, northwindId, [{ productId: radio, quantity: 2 }]));
    expect(await reservationsOf(orderId)).toEqual([]);
    expect(await consistent(radio, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
    expect(await typesOf(orderId)).toEqual([]);
  });
});

describe('order.cancelled', () => {
  it('puts reserved units back in stock with stock.released and product.stock_changed', async () => {
    const radio = await product(5);
    const lamp = await product(1, atelierId);
    const orderId = newOrderId();
    const lines = [
      { productId: radio, quantity: 2 },
      { productId: lamp, quantity: 1 },
    ].sort((a, b) => (a.productId < b.productId ? -1 : 1));
    await publish(
      orderPlaced(orderId, [
        { sellerId: northwindId, items: [lines[0]!] },
        { sellerId: atelierId, items: [lines[1]!] },
      ]),
    );
    await publish(orderCancelled(orderId));

    expect(await consistent(radio, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
    expect(await consistent(lamp, 1)).toEqual({ stock: 1, reserved: 0, sold: 0 });
    expect((await reservationsOf(orderId)).map((r) => r.status)).toEqual(['RELEASED', 'RELEASED']);
    const [reserved, released] = await deliveredOf(orderId, 2);
    expect(reserved!.type).toBe('stock.reserved');
    expect(released).toMatchObject({ type: 'stock.released', data: { orderId, lines } });
    const radioChanges = await deliveredOf(radio, 2);
    expect(radioChanges.map((e) => e.data)).toEqual([
      { productId: radio, sellerId: northwindId, stock: 3, previousStock: 5 },
      { productId: radio, sellerId: northwindId, stock: 5, previousStock: 3 },
    ]);
  });

  it('puts sold units of a confirmed order back in stock', async () => {
    const radio = await product(5);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [{ sellerId: northwindId, items: [{ productId: radio, quantity: 3 }] }]),
    );
    await publish(orderConfirmed(orderId, northwindId, [{ productId: radio, quantity: 3 }]));
    expect(await consistent(radio, 5)).toEqual({ stock: 2, reserved: 0, sold: 3 });

    await publish(orderCancelled(orderId, 'CONFIRMED'));
    expect(await consistent(radio, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
    expect(await reservationsOf(orderId)).toEqual([{ productId: radio, quantity: 3, status: 'RELEASED' }]);
    expect(await outboxOf(db.prisma, orderId)).toEqual([
      { type: 'stock.reserved', data: { orderId, lines: [{ productId: radio, quantity: 3 }] } },
      { type: 'stock.released', data: { orderId, lines: [{ productId: radio, quantity: 3 }] } },
    ]);
  });

  it('releases once: a repeated cancel and a late confirm after it change nothing', async () => {
    const radio = await product(5);
    const orderId = newOrderId();
    await publish(
      orderPlaced(orderId, [{ sellerId: northwindId, items: [{ productId: radio, quantity: 1 }] }]),
    );
    await publish(orderCancelled(orderId));
    await publish(orderCancelled(orderId));
    await publish(orderConfirmed(orderId, northwindId, [{ productId: radio, quantity: 1 }]));
    expect(await consistent(radio, 5)).toEqual({ stock: 5, reserved: 0, sold: 0 });
    expect(await typesOf(orderId)).toEqual(['stock.reserved', 'stock.released']);
    expect(await typesOf(radio)).toEqual(['product.stock_changed', 'product.stock_changed']);
  });

  it('does nothing and emits nothing for an order catalog rejected or never saw', async () => {
    const radio = await product(1);
    const rejected = newOrderId();
    await publish(
      orderPlaced(rejected, [{ sellerId: northwindId, items: [{ productId: radio, quantity: 2 }] }]),
    );
    await publish(orderCancelled(rejected, 'PENDING', 'OUT_OF_STOCK'));
    const unknown = newOrderId();
    await publish(orderCancelled(unknown));

    expect(await typesOf(rejected)).toEqual(['stock.rejected']);
    expect(await typesOf(unknown)).toEqual([]);
    expect(await typesOf(radio)).toEqual([]);
    expect(await consistent(radio, 1)).toEqual({ stock: 1, reserved: 0, sold: 0 });
  });
});
