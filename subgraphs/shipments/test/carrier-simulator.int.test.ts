import { createLogger } from '@mp/kit';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDb, type ShipmentsDb } from '../src/db.ts';
import { startCarrierSimulator } from '../src/services/carrier-simulator.ts';
import { shipmentsSubgraph } from '../src/subgraph.ts';
import {
  cancel,
  confirm,
  dataOf,
  newOrder,
  outboxOf,
  recordShipmentEvents,
  shipAs,
  shipmentRowOf,
  timelineOf,
  type EventRecorder,
  type TestOrder,
} from './fixtures.ts';

const STEP_MS = 120;

let subgraph: TestSubgraph;
let db: ShipmentsDb;
let recorder: EventRecorder;

useTestSubgraph(
  shipmentsSubgraph,
  { open: openDb, env: { CARRIER_SIMULATOR_STEP_MS: String(STEP_MS) } },
  async (started, opened) => {
    subgraph = started;
    db = opened;
    recorder = await recordShipmentEvents(started);
  },
);
afterAll(async () => {
  await recorder?.stop();
});

async function confirmedShipment(): Promise<{ order: TestOrder; shipmentId: string }> {
  const order = newOrder(1);
  await confirm(subgraph, order);
  return { order, shipmentId: (await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).id };
}

function waitForStatus(sellerOrderId: string, status: string, timeout = 10_000) {
  return vi.waitFor(
    async () => {
      const row = await shipmentRowOf(db, sellerOrderId);
      expect(row.status).toBe(status);
      return row;
    },
    { timeout, interval: 25 },
  );
}

describe('the carrier simulator', () => {
  it('walks a shipped parcel to DELIVERED one step per STEP_MS, with a timeline entry and events for every step', async () => {
    const { order, shipmentId } = await confirmedShipment();
    const sellerOrder = order.sellerOrders[0]!;
    await shipAs(subgraph, sellerOrder.seller, shipmentId, { carrier: 'DHL', trackingNumber: 'SIM-1' });

    const delivered = await waitForStatus(sellerOrder.sellerOrderId, 'DELIVERED');

    const timeline = await timelineOf(db, shipmentId);
    expect(timeline.map((e) => e.status)).toEqual([
      'PENDING',
      'LABEL_CREATED',
      'IN_TRANSIT',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ]);
    for (const entry of timeline.slice(2)) {
      expect(entry.description.length).toBeGreaterThan(5);
      expect(entry.location).toEqual(expect.any(String));
    }
    expect(timeline[2]!.description).toContain('DHL');
    // Each step waited for the previous entry to be STEP_MS old.
    for (let i = 2; i < timeline.length; i += 1) {
      const gap = timeline[i]!.recordedAt.getTime() - timeline[i - 1]!.recordedAt.getTime();
      expect(gap).toBeGreaterThanOrEqual(STEP_MS);
    }
    expect(delivered.deliveredAt).toEqual(timeline[4]!.occurredAt);

    const events = await recorder.eventsOf(shipmentId, 7);
    expect(events.map((e) => e.type)).toEqual([
      'shipment.created',
      'shipment.shipped',
      'shipment.tracking_recorded',
      'shipment.tracking_recorded',
      'shipment.tracking_recorded',
      'shipment.tracking_recorded',
      'shipment.delivered',
    ]);
    expect(dataOf(events, 'shipment.tracking_recorded').map((d) => d.status)).toEqual([
      'LABEL_CREATED',
      'IN_TRANSIT',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
    ]);
    expect(events[6]!.data).toMatchObject({
      shipmentId,
      orderId: order.orderId,
      productIds: sellerOrder.items.map((i) => i.productId),
      deliveredAt: delivered.deliveredAt!.toISOString(),
    });
  });

  it('leaves PENDING and CANCELLED shipments alone', async () => {
    const pending = await confirmedShipment();
    const cancelled = await confirmedShipment();
    await cancel(subgraph, cancelled.order);
    await new Promise((resolve) => setTimeout(resolve, STEP_MS * 4));
    expect((await shipmentRowOf(db, pending.order.sellerOrders[0]!.sellerOrderId)).status).toBe('PENDING');
    expect((await shipmentRowOf(db, cancelled.order.sellerOrders[0]!.sellerOrderId)).status).toBe(
      'CANCELLED',
    );
    expect(await timelineOf(db, pending.shipmentId)).toHaveLength(1);
    expect(await timelineOf(db, cancelled.shipmentId)).toHaveLength(2);
  });

  it('never moves a parcel twice for one step when several simulators poll the same database', async () => {
    // A second simulator next to the subgraph's own, on its own connection pool, polling in small batches.
    const second = startCarrierSimulator({
      prisma: db.prisma,
      stepMs: STEP_MS,
      log: createLogger('second-simulator', 'silent'),
      batchSize: 2,
    });
    try {
      const parcels = await Promise.all(Array.from({ length: 12 }, () => confirmedShipment()));
      await Promise.all(
        parcels.map(({ order, shipmentId }) =>
          shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentId, { carrier: 'UPS' }),
        ),
      );
      for (const { order } of parcels)
        await waitForStatus(order.sellerOrders[0]!.sellerOrderId, 'DELIVERED', 15_000);
      for (const { shipmentId } of parcels) {
        expect((await timelineOf(db, shipmentId)).map((e) => e.status)).toEqual([
          'PENDING',
          'LABEL_CREATED',
          'IN_TRANSIT',
          'OUT_FOR_DELIVERY',
          'DELIVERED',
        ]);
        expect((await outboxOf(db, shipmentId)).map((e) => e.type)).toEqual([
          'shipment.created',
          'shipment.shipped',
          'shipment.tracking_recorded',
          'shipment.tracking_recorded',
          'shipment.tracking_recorded',
          'shipment.tracking_recorded',
          'shipment.delivered',
        ]);
      }
    } finally {
      await second.stop();
    }
  });
});
