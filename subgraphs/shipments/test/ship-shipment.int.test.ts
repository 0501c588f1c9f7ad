import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type ShipmentsDb } from '../src/db.ts';
import { shipmentsSubgraph } from '../src/subgraph.ts';
import {
  SHIP_SHIPMENT,
  buyerIdentity,
  cancel,
  confirm,
  newOrder,
  outboxOf,
  recordShipmentEvents,
  rowCounts,
  sellerIdentity,
  shipAs,
  shipmentRowOf,
  timelineOf,
  type EventRecorder,
  type TestOrder,
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

/** A confirmed one-shop order and its PENDING shipment. */
async function pendingShipment(): Promise<{ order: TestOrder; shipmentId: string }> {
  const order = newOrder(1);
  await confirm(subgraph, order);
  const row = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
  return { order, shipmentId: row.id };
}

describe('shipShipment by the owning seller', () => {
  it('creates the label: LABEL_CREATED with carrier and tracking number, a timeline entry, shipment.shipped and shipment.tracking_recorded', async () => {
    const { order, shipmentId } = await pendingShipment();
    const sellerOrder = order.sellerOrders[0]!;

    const payload = await shipAs(subgraph, sellerOrder.seller, shipmentId, {
      carrier: '  DHL Express ',
      trackingNumber: 'JD0146-0000-1234',
    });

    expect(payload).toEqual({
      shipment: {
        id: shipmentId,
        status: 'LABEL_CREATED',
        carrier: 'DHL Express',
        trackingNumber: 'JD0146-0000-1234',
      },
      userErrors: [],
    });
    const row = await shipmentRowOf(db, sellerOrder.sellerOrderId);
    expect(row.shippedAt).toBeInstanceOf(Date);
    const timeline = await timelineOf(db, shipmentId);
    expect(timeline.map((e) => e.status)).toEqual(['PENDING', 'LABEL_CREATED']);
    expect(timeline[1]!.description).toContain('JD0146-0000-1234');

    const ref = {
      shipmentId,
      orderId: order.orderId,
      sellerOrderId: sellerOrder.sellerOrderId,
      sellerId: sellerOrder.seller.sellerId,
      buyerId: order.buyer.userId,
    };
    const events = await recorder.eventsOf(shipmentId, 3);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['shipment.created', expect.any(Object)],
      ['shipment.shipped', { ...ref, carrier: 'DHL Express', trackingNumber: 'JD0146-0000-1234' }],
      [
        'shipment.tracking_recorded',
        {
          ...ref,
          status: 'LABEL_CREATED',
          previousStatus: 'PENDING',
          description: timeline[1]!.description,
          location: null,
          occurredAt: timeline[1]!.occurredAt.toISOString(),
        },
      ],
    ]);
  });

  it('generates a tracking number when the seller gives none', async () => {
    const { order, shipmentId } = await pendingShipment();
    const payload = await shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentId, { carrier: 'GLS' });
    expect(payload.userErrors).toEqual([]);
    expect(payload.shipment!.trackingNumber).toMatch(/^MP-[0-9A-F]{16}$/);
    const row = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
    expect(row.trackingNumber).toBe(payload.shipment!.trackingNumber);
  });

  it('answers INVALID_TRANSITION naming the status when the shipment was already shipped, and writes nothing', async () => {
    const { order, shipmentId } = await pendingShipment();
    const seller = order.sellerOrders[0]!.seller;
    await shipAs(subgraph, seller, shipmentId, { carrier: 'DHL', trackingNumber: 'FIRST-1' });
    const row = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
    const counts = await rowCounts(db);

    const again = await shipAs(subgraph, seller, shipmentId, { carrier: 'UPS', trackingNumber: 'SECOND-2' });

    expect(again.shipment).toBeNull();
    expect(again.userErrors).toEqual([
      {
        field: ['shipmentId'],
        code: 'INVALID_TRANSITION',
        message: expect.stringContaining('LABEL_CREATED'),
      },
    ]);
    expect(await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).toEqual(row);
    expect(await rowCounts(db)).toEqual(counts);
  });

  it('answers INVALID_TRANSITION for a shipment of a cancelled order', async () => {
    const { order, shipmentId } = await pendingShipment();
    await cancel(subgraph, order);
    const payload = await shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentId, { carrier: 'DHL' });
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ code: 'INVALID_TRANSITION', message: expect.stringContaining('CANCELLED') }),
    ]);
    expect((await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).carrier).toBeNull();
  });

  it('ships once when the seller sends the mutation many times at once (the row lock decides)', async () => {
    const { order, shipmentId } = await pendingShipment();
    const seller = order.sellerOrders[0]!.seller;
    // Hold the row while the mutations arrive, so they all start from PENDING at the same moment: without
    // the lock each would read PENDING and ship again once released.
    const attempts = await db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM shipments WHERE id = ${shipmentId} FOR UPDATE`;
      const sent = Array.from({ length: 6 }, (_, i) =>
        shipAs(subgraph, seller, shipmentId, { carrier: `Carrier ${i}` }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      return sent;
    });
    const payloads = await Promise.all(attempts);
    expect(payloads.filter((p) => p.userErrors.length === 0)).toHaveLength(1);
    expect(payloads.filter((p) => p.userErrors[0]?.code === 'INVALID_TRANSITION')).toHaveLength(5);
    expect((await timelineOf(db, shipmentId)).map((e) => e.status)).toEqual(['PENDING', 'LABEL_CREATED']);
    expect((await outboxOf(db, shipmentId)).filter((e) => e.type === 'shipment.shipped')).toHaveLength(1);
  });
});

describe('shipShipment by anyone else', () => {
  it('answers NOT_FOUND to another shop, to a buyer and for an unknown id, and changes nothing', async () => {
    const { order, shipmentId } = await pendingShipment();
    const row = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
    const counts = await rowCounts(db);
    const attempts = [
      await shipAs(subgraph, sellerIdentity(), shipmentId, { carrier: 'DHL' }),
      await shipAs(subgraph, order.buyer, shipmentId, { carrier: 'DHL' }),
      await shipAs(subgraph, buyerIdentity(), shipmentId, { carrier: 'DHL' }),
      await shipAs(subgraph, order.sellerOrders[0]!.seller, 'no-such-shipment', { carrier: 'DHL' }),
    ];
    for (const payload of attempts) {
      expect(payload).toEqual({
        shipment: null,
        userErrors: [
          { field: ['shipmentId'], code: 'NOT_FOUND', message: expect.stringContaining('was not found') },
        ],
      });
    }
    expect(await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).toEqual(row);
    expect(await rowCounts(db)).toEqual(counts);
  });

  it('answers NOT_FOUND rather than input problems to another shop, so bad input reveals nothing', async () => {
    const { shipmentId } = await pendingShipment();
    const payload = await shipAs(subgraph, sellerIdentity(), shipmentId, { carrier: '' });
    expect(payload.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const { order, shipmentId } = await pendingShipment();
    const response = await subgraph.request(SHIP_SHIPMENT, { shipmentId, input: { carrier: 'DHL' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).status).toBe('PENDING');
  });
});

describe('shipShipment input', () => {
  it.each([
    ['an empty carrier', { carrier: '   ' }, [['input', 'carrier']]],
    ['a 51-character carrier', { carrier: 'C'.repeat(51) }, [['input', 'carrier']]],
    [
      'a tracking number with a space',
      { carrier: 'DHL', trackingNumber: 'AB 123' },
      [['input', 'trackingNumber']],
    ],
    [
      'a tracking number with an underscore',
      { carrier: 'DHL', trackingNumber: 'AB_123' },
      [['input', 'trackingNumber']],
    ],
    [
      'a 65-character tracking number',
      { carrier: 'DHL', trackingNumber: '9'.repeat(65) },
      [['input', 'trackingNumber']],
    ],
    ['an empty tracking number', { carrier: 'DHL', trackingNumber: '' }, [['input', 'trackingNumber']]],
    [
      'a bad carrier and a bad tracking number together',
      { carrier: 'x'.repeat(80), trackingNumber: 'no/slashes' },
      [
        ['input', 'carrier'],
        ['input', 'trackingNumber'],
      ],
    ],
  ])('rejects %s with INVALID_INPUT and writes nothing', async (_, input, fields) => {
    const { order, shipmentId } = await pendingShipment();
    const counts = await rowCounts(db);
    const payload = await shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentId, input);
    expect(payload.shipment).toBeNull();
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual(fields.map((f) => [f, 'INVALID_INPUT']));
    for (const error of payload.userErrors) expect(error.message.length).toBeGreaterThan(20);
    expect((await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).status).toBe('PENDING');
    expect(await rowCounts(db)).toEqual(counts);
  });

  it('names the bad value in the message', async () => {
    const { order, shipmentId } = await pendingShipment();
    const payload = await shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentId, {
      carrier: 'DHL',
      trackingNumber: 'bad#number',
    });
    expect(payload.userErrors[0]!.message).toContain('"bad#number"');
  });

  it('accepts a 50-character carrier and a 64-character tracking number', async () => {
    const { order, shipmentId } = await pendingShipment();
    const payload = await shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentId, {
      carrier: 'C'.repeat(50),
      trackingNumber: `A-${'9'.repeat(62)}`,
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.shipment).toMatchObject({ status: 'LABEL_CREATED', carrier: 'C'.repeat(50) });
  });
});
