import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type ShipmentsDb } from '../src/db.ts';
import type { ShipmentStatus } from '../src/generated/prisma/client.ts';
import { shipmentsSubgraph } from '../src/subgraph.ts';
import {
  RECORD_TRACKING_EVENT,
  adminIdentity,
  carrierIdentity,
  confirm,
  dataOf,
  newOrder,
  outboxOf,
  recordAs,
  recordShipmentEvents,
  rowCounts,
  shipAs,
  shipmentRowOf,
  timelineOf,
  type Caller,
  type EventRecorder,
  type TestOrder,
} from './fixtures.ts';

let subgraph: TestSubgraph;
let db: ShipmentsDb;
let recorder: EventRecorder;
const carrier = carrierIdentity();

useTestSubgraph(shipmentsSubgraph, { open: openDb }, async (started, opened) => {
  subgraph = started;
  db = opened;
  recorder = await recordShipmentEvents(started);
});
afterAll(async () => {
  await recorder?.stop();
});

/** A confirmed one-shop order whose shipment the seller has shipped (LABEL_CREATED). */
async function shippedShipment(): Promise<{ order: TestOrder; shipmentId: string }> {
  const order = newOrder(1);
  await confirm(subgraph, order);
  const { id } = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
  const shipped = await shipAs(subgraph, order.sellerOrders[0]!.seller, id, {
    carrier: 'DHL',
    trackingNumber: 'T-1',
  });
  expect(shipped.userErrors).toEqual([]);
  return { order, shipmentId: id };
}

const ALL_STATUSES: ShipmentStatus[] = [
  'PENDING',
  'LABEL_CREATED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'FAILED_ATTEMPT',
  'RETURNED',
  'CANCELLED',
];

/** The moves a carrier may make, written out from the specification (not imported from the code). */
const ALLOWED: Record<ShipmentStatus, ShipmentStatus[]> = {
  PENDING: [],
  LABEL_CREATED: ['IN_TRANSIT'],
  IN_TRANSIT: ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'FAILED_ATTEMPT', 'RETURNED'],
  OUT_FOR_DELIVERY: ['DELIVERED', 'FAILED_ATTEMPT'],
  FAILED_ATTEMPT: ['OUT_FOR_DELIVERY', 'IN_TRANSIT', 'RETURNED'],
  DELIVERED: [],
  RETURNED: [],
  CANCELLED: [],
};

/** Puts a fresh shipment straight into `status` (with what the CHECK constraints demand of it). */
async function shipmentIn(status: ShipmentStatus): Promise<string> {
  const order = newOrder(1);
  await confirm(subgraph, order);
  const { id } = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
  const shipped = status !== 'PENDING' && status !== 'CANCELLED';
  await db.prisma.shipment.update({
    where: { id },
    data: {
      status,
      ...(shipped ? { carrier: 'DHL', trackingNumber: 'T-1', shippedAt: new Date() } : {}),
      ...(status === 'DELIVERED' ? { deliveredAt: new Date() } : {}),
    },
  });
  return id;
}

describe('recordTrackingEvent access', () => {
  it.each<[string, (order: TestOrder) => Caller]>([
    ['the order’s buyer', (order) => order.buyer],
    ['the shipping seller', (order) => order.sellerOrders[0]!.seller],
    ['an admin', () => adminIdentity()],
  ])('refuses %s with FORBIDDEN and changes nothing', async (_, callerOf) => {
    const { order, shipmentId } = await shippedShipment();
    const counts = await rowCounts(db);
    const response = await subgraph.request(
      RECORD_TRACKING_EVENT,
      { shipmentId, input: { status: 'IN_TRANSIT', description: 'Picked up' } },
      { as: callerOf(order) },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.errors?.[0]?.message).toContain('carrier');
    expect(response.data?.recordTrackingEvent ?? null).toBeNull();
    expect(await rowCounts(db)).toEqual(counts);
    expect((await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).status).toBe('LABEL_CREATED');
  });

  it('refuses an anonymous caller with UNAUTHENTICATED', async () => {
    const { shipmentId } = await shippedShipment();
    const response = await subgraph.request(RECORD_TRACKING_EVENT, {
      shipmentId,
      input: { status: 'IN_TRANSIT', description: 'Picked up' },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers NOT_FOUND for an unknown shipment', async () => {
    const payload = await recordAs(subgraph, carrier, 'no-such-shipment', {
      status: 'IN_TRANSIT',
      description: 'Picked up',
    });
    expect(payload).toEqual({
      shipment: null,
      userErrors: [
        { field: ['shipmentId'], code: 'NOT_FOUND', message: 'Shipment "no-such-shipment" was not found' },
      ],
    });
  });
});

describe('recordTrackingEvent by a carrier', () => {
  it('walks a parcel to DELIVERED through a missed attempt, with the timeline oldest first and an event per scan', async () => {
    const { order, shipmentId } = await shippedShipment();
    const sellerOrder = order.sellerOrders[0]!;
    const scans = [
      {
        status: 'IN_TRANSIT',
        description: 'Picked up',
        location: 'Leipzig hub',
        occurredAt: '2026-11-01T08:00:00Z',
      },
      {
        status: 'IN_TRANSIT',
        description: 'Arrived at the depot',
        location: 'Berlin depot',
        occurredAt: '2026-11-01T20:00:00Z',
      },
      { status: 'OUT_FOR_DELIVERY', description: 'With the courier', occurredAt: '2026-11-02T07:00:00Z' },
      {
        status: 'FAILED_ATTEMPT',
        description: 'Nobody home',
        location: 'Berlin',
        occurredAt: '2026-11-02T11:00:00Z',
      },
      { status: 'OUT_FOR_DELIVERY', description: 'Second attempt', occurredAt: '2026-11-03T07:00:00Z' },
      {
        status: 'DELIVERED',
        description: 'Handed to the recipient',
        location: 'Berlin',
        occurredAt: '2026-11-03T10:15:00Z',
      },
    ];
    let last;
    for (const scan of scans) {
      last = await recordAs(subgraph, carrier, shipmentId, scan);
      expect(last.userErrors).toEqual([]);
      expect(last.shipment!.status).toBe(scan.status);
    }
    // The contract's selection: the whole timeline, oldest first (creation and label entries came first).
    expect(last!.shipment!.events.map((e) => [e.status, e.description])).toEqual([
      ['PENDING', expect.any(String)],
      ['LABEL_CREATED', expect.stringContaining('T-1')],
      ...scans.map((s) => [s.status, s.description]),
    ]);

    const row = await shipmentRowOf(db, sellerOrder.sellerOrderId);
    expect(row).toMatchObject({ status: 'DELIVERED', deliveredAt: new Date('2026-11-03T10:15:00Z') });

    const events = await recorder.eventsOf(shipmentId, 2 + 1 + scans.length + 1);
    const tracking = dataOf(events, 'shipment.tracking_recorded');
    expect(tracking.map((d) => [d.previousStatus, d.status])).toEqual([
      ['PENDING', 'LABEL_CREATED'],
      ['LABEL_CREATED', 'IN_TRANSIT'],
      ['IN_TRANSIT', 'IN_TRANSIT'],
      ['IN_TRANSIT', 'OUT_FOR_DELIVERY'],
      ['OUT_FOR_DELIVERY', 'FAILED_ATTEMPT'],
      ['FAILED_ATTEMPT', 'OUT_FOR_DELIVERY'],
      ['OUT_FOR_DELIVERY', 'DELIVERED'],
    ]);
    expect(tracking[1]).toMatchObject({
      description: 'Picked up',
      location: 'Leipzig hub',
      occurredAt: '2026-11-01T08:00:00.000Z',
    });
    const delivered = events.at(-1)!;
    expect(delivered).toMatchObject({
      type: 'shipment.delivered',
      aggregateId: shipmentId,
      data: {
        shipmentId,
        orderId: order.orderId,
        sellerOrderId: sellerOrder.sellerOrderId,
        sellerId: sellerOrder.seller.sellerId,
        buyerId: order.buyer.userId,
        productIds: sellerOrder.items.map((i) => i.productId),
        deliveredAt: '2026-11-03T10:15:00.000Z',
      },
    });
  });

  it('ends a returned parcel there: RETURNED is final', async () => {
    const { shipmentId } = await shippedShipment();
    await recordAs(subgraph, carrier, shipmentId, { status: 'IN_TRANSIT', description: 'Picked up' });
    const returned = await recordAs(subgraph, carrier, shipmentId, {
      status: 'RETURNED',
      description: 'Refused',
    });
    expect(returned.shipment!.status).toBe('RETURNED');
    const after = await recordAs(subgraph, carrier, shipmentId, {
      status: 'IN_TRANSIT',
      description: 'Again',
    });
    expect(after.userErrors).toEqual([
      {
        field: ['input', 'status'],
        code: 'INVALID_TRANSITION',
        message: expect.stringContaining('RETURNED is final'),
      },
    ]);
    expect((await outboxOf(db, shipmentId)).filter((e) => e.type === 'shipment.delivered')).toEqual([]);
  });

  it('takes occurredAt as now when it is left out', async () => {
    const { shipmentId } = await shippedShipment();
    const before = Date.now();
    const payload = await recordAs(subgraph, carrier, shipmentId, {
      status: 'IN_TRANSIT',
      description: 'Picked up',
    });
    const occurredAt = Date.parse(payload.shipment!.events.at(-1)!.occurredAt);
    expect(occurredAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(occurredAt).toBeLessThanOrEqual(Date.now());
  });

  it('allows exactly the specified moves between every pair of statuses, and writes nothing for the others', async () => {
    for (const from of ALL_STATUSES) {
      for (const to of ALL_STATUSES) {
        const shipmentId = await shipmentIn(from);
        const counts = await rowCounts(db);
        const payload = await recordAs(subgraph, carrier, shipmentId, {
          status: to,
          description: `${from} to ${to}`,
        });
        const allowed = ALLOWED[from].includes(to);
        expect([from, to, payload.userErrors.length === 0]).toEqual([from, to, allowed]);
        if (allowed) {
          expect(payload.shipment!.status).toBe(to);
        } else {
          expect(payload.shipment).toBeNull();
          expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'INVALID_TRANSITION' })]);
          expect(await rowCounts(db)).toEqual(counts);
        }
      }
    }
  });

  it('names the current status in an INVALID_TRANSITION', async () => {
    const order = newOrder(1);
    await confirm(subgraph, order);
    const { id } = await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId);
    const payload = await recordAs(subgraph, carrier, id, { status: 'IN_TRANSIT', description: 'Too early' });
    expect(payload.userErrors[0]!.message).toContain('The shipment is PENDING');
  });
});

describe('recordTrackingEvent input', () => {
  it.each([
    ['an empty description', { description: '  ' }, 'description'],
    ['a 501-character description', { description: 'd'.repeat(501) }, 'description'],
    ['a 201-character location', { location: 'l'.repeat(201) }, 'location'],
    [
      'an occurredAt an hour in the future',
      { occurredAt: new Date(Date.now() + 3_600_000).toISOString() },
      'occurredAt',
    ],
    ['an occurredAt that is not a date-time', { occurredAt: 'yesterday' }, 'occurredAt'],
    ['an occurredAt without a time zone', { occurredAt: '2026-11-01T08:00:00' }, 'occurredAt'],
  ])('rejects %s with INVALID_INPUT and writes nothing', async (_, change, field) => {
    const { order, shipmentId } = await shippedShipment();
    const counts = await rowCounts(db);
    const payload = await recordAs(subgraph, carrier, shipmentId, {
      status: 'IN_TRANSIT',
      description: 'Picked up',
      ...change,
    });
    expect(payload.shipment).toBeNull();
    expect(payload.userErrors).toEqual([
      { field: ['input', field], code: 'INVALID_INPUT', message: expect.any(String) },
    ]);
    expect(await rowCounts(db)).toEqual(counts);
    expect((await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).status).toBe('LABEL_CREATED');
  });

  it('reports every problem at once, naming the bad values', async () => {
    const { shipmentId } = await shippedShipment();
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const payload = await recordAs(subgraph, carrier, shipmentId, {
      status: 'PENDING',
      description: '',
      occurredAt: future,
    });
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'status'], 'INVALID_TRANSITION'],
      [['input', 'description'], 'INVALID_INPUT'],
      [['input', 'occurredAt'], 'INVALID_INPUT'],
    ]);
    expect(payload.userErrors[2]!.message).toContain(future);
  });

  it('accepts an occurredAt a few seconds ahead (clock skew) as now, and the 500/200-character limits', async () => {
    const { shipmentId } = await shippedShipment();
    const payload = await recordAs(subgraph, carrier, shipmentId, {
      status: 'IN_TRANSIT',
      description: 'd'.repeat(500),
      location: 'l'.repeat(200),
      occurredAt: new Date(Date.now() + 20_000).toISOString(),
    });
    expect(payload.userErrors).toEqual([]);
    expect(Date.parse(payload.shipment!.events.at(-1)!.occurredAt)).toBeLessThanOrEqual(Date.now());
    const timeline = await timelineOf(db, shipmentId);
    expect(timeline.at(-1)).toMatchObject({ description: 'd'.repeat(500), location: 'l'.repeat(200) });
  });
});
