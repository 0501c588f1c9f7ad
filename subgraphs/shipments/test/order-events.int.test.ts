import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type ShipmentsDb } from '../src/db.ts';
import { shipmentsSubgraph } from '../src/subgraph.ts';
import {
  cancel,
  carrierIdentity,
  confirm,
  newOrder,
  outboxOf,
  publish,
  recordAs,
  recordShipmentEvents,
  shipAs,
  shipmentRowOf,
  shipmentRowsOf,
  timelineOf,
  type EventRecorder,
} from './fixtures.ts';

let subgraph: TestSubgraph;
let db: ShipmentsDb;
let recorder: EventRecorder;

useTestSubgraph(shipmentsSubgraph, { open: openDb }, async (started, opened) => {
  subgraph = started;
  db = opened;
  recorder = await recordShipmentEvents(started);
});
afterAll(async () => {
  await recorder?.stop();
});

describe('order.confirmed', () => {
  it('creates one PENDING shipment per seller order, each with its first timeline entry and shipment.created', async () => {
    const order = newOrder(2);
    await confirm(subgraph, order);

    const rows = await shipmentRowsOf(db, order.orderId);
    expect(rows).toHaveLength(2);
    for (const sellerOrder of order.sellerOrders) {
      const row = await shipmentRowOf(db, sellerOrder.sellerOrderId);
      expect(row).toMatchObject({
        orderId: order.orderId,
        sellerId: sellerOrder.seller.sellerId,
        buyerId: order.buyer.userId,
        status: 'PENDING',
        carrier: null,
        trackingNumber: null,
        items: sellerOrder.items,
        shippedAt: null,
        deliveredAt: null,
      });
      expect(await timelineOf(db, row.id)).toEqual([
        expect.objectContaining({ status: 'PENDING', location: null, description: expect.any(String) }),
      ]);
      const [created] = await recorder.eventsOf(row.id, 1);
      expect(created).toMatchObject({
        type: 'shipment.created',
        aggregateId: row.id,
        data: {
          shipmentId: row.id,
          orderId: order.orderId,
          sellerOrderId: sellerOrder.sellerOrderId,
          sellerId: sellerOrder.seller.sellerId,
          buyerId: order.buyer.userId,
          productIds: sellerOrder.items.map((item) => item.productId),
        },
      });
    }
  });

  it('creates nothing more when the same confirmation arrives again, redelivered or re-sent with a new event id', async () => {
    const order = newOrder(2);
    const envelope = await confirm(subgraph, order);
    await subgraph.bus.publish([envelope]); // the same event again: the inbox skips it
    await confirm(subgraph, order); // a new event for the same order: seller_order_id is unique

    const rows = await shipmentRowsOf(db, order.orderId);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(await timelineOf(db, row.id)).toHaveLength(1);
      expect((await outboxOf(db, row.id)).map((e) => e.type)).toEqual(['shipment.created']);
      expect(await recorder.eventsOf(row.id, 1)).toHaveLength(1);
    }
    expect(await db.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('names each product once in shipment.created, however many lines carry it', async () => {
    const order = newOrder(1);
    const productId = order.sellerOrders[0]!.items[0]!.productId;
    order.confirmed.sellerOrders[0]!.items = [
      { productId, quantity: 1 },
      { productId, quantity: 2 },
    ];
    await confirm(subgraph, order);
    const row = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
    const [created] = await recorder.eventsOf(row.id, 1);
    expect(created!.data).toMatchObject({ productIds: [productId] });
  });
});

describe('order.cancelled', () => {
  it('cancels the order’s PENDING shipments with a timeline entry and shipment.cancelled, and leaves shipped ones alone', async () => {
    const order = newOrder(2);
    await confirm(subgraph, order);
    const [first, second] = order.sellerOrders;
    const toShip = await shipmentRowOf(db, first!.sellerOrderId);
    expect(await shipAs(subgraph, first!.seller, toShip.id, { carrier: 'DHL' })).toMatchObject({
      userErrors: [],
    });
    const shippedBefore = await shipmentRowOf(db, first!.sellerOrderId);

    await cancel(subgraph, order, 'BUYER_CANCELLED');

    const pendingRow = await shipmentRowOf(db, second!.sellerOrderId);
    expect(pendingRow.status).toBe('CANCELLED');
    expect((await timelineOf(db, pendingRow.id)).map((e) => e.status)).toEqual(['PENDING', 'CANCELLED']);
    const events = await recorder.eventsOf(pendingRow.id, 2);
    expect(events.map((e) => e.type)).toEqual(['shipment.created', 'shipment.cancelled']);
    expect(events[1]!.data).toEqual({
      shipmentId: pendingRow.id,
      orderId: order.orderId,
      sellerOrderId: second!.sellerOrderId,
      sellerId: second!.seller.sellerId,
      buyerId: order.buyer.userId,
    });

    const stillShipped = await shipmentRowOf(db, first!.sellerOrderId);
    expect(stillShipped).toEqual(shippedBefore);
    expect(stillShipped.status).toBe('LABEL_CREATED');
    expect((await outboxOf(db, stillShipped.id)).map((e) => e.type)).not.toContain('shipment.cancelled');
  });

  it('cancels once however often the cancellation arrives', async () => {
    const order = newOrder(1);
    await confirm(subgraph, order);
    const envelope = await cancel(subgraph, order);
    await subgraph.bus.publish([envelope]);
    await cancel(subgraph, order);
    const row = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
    expect(row.status).toBe('CANCELLED');
    expect((await timelineOf(db, row.id)).map((e) => e.status)).toEqual(['PENDING', 'CANCELLED']);
    expect((await outboxOf(db, row.id)).map((e) => e.type)).toEqual([
      'shipment.created',
      'shipment.cancelled',
    ]);
  });

  it('does nothing for an order that was never confirmed', async () => {
    const order = newOrder(1);
    await publish(subgraph, 'order.cancelled', order.orderId, {
      orderId: order.orderId,
      buyerId: order.buyer.userId,
      reason: 'OUT_OF_STOCK',
      previousStatus: 'PENDING',
    });
    expect(await shipmentRowsOf(db, order.orderId)).toEqual([]);
    expect(await db.prisma.deadLetterEvent.count()).toBe(0);
  });

  it('leaves delivered and in-transit shipments as they are', async () => {
    const order = newOrder(1);
    await confirm(subgraph, order);
    const sellerOrder = order.sellerOrders[0]!;
    const row = await shipmentRowOf(db, sellerOrder.sellerOrderId);
    await shipAs(subgraph, sellerOrder.seller, row.id, { carrier: 'UPS' });
    await recordAs(subgraph, carrierIdentity(), row.id, { status: 'IN_TRANSIT', description: 'Scanned' });
    const before = await shipmentRowOf(db, sellerOrder.sellerOrderId);
    await cancel(subgraph, order);
    expect(await shipmentRowOf(db, sellerOrder.sellerOrderId)).toEqual(before);
    expect(before.status).toBe('IN_TRANSIT');
  });
});
