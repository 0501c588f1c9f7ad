// Shared by the shipments integration tests: identities, orders as the orders subgraph would confirm
// them, an event recorder on the test bus, and the operations the tests send.
import { randomUUID } from 'node:crypto';
import type { Identity } from '@mp/auth';
import type { EventData, EventEnvelope, EventType } from '@mp/events';
import { contractOperation, testEnvelope, type TestSubgraph } from '@mp/testkit';
import { expect, vi } from 'vitest';
import type { ShipmentsDb } from '../src/db.ts';

export type Caller = Partial<Identity> & { userId: string };

export const buyerIdentity = (): Caller => ({ userId: randomUUID(), scopes: ['buyer'] });
export const sellerIdentity = (sellerId = `seller-${randomUUID()}`): Caller & { sellerId: string } => ({
  userId: randomUUID(),
  scopes: ['buyer', 'seller'],
  sellerId,
});
export const carrierIdentity = (): Caller => ({ userId: randomUUID(), scopes: ['carrier'] });
export const adminIdentity = (): Caller => ({ userId: randomUUID(), scopes: ['buyer', 'admin'] });

export interface TestSellerOrder {
  sellerOrderId: string;
  seller: Caller & { sellerId: string };
  items: { productId: string; quantity: number }[];
}

export interface TestOrder {
  orderId: string;
  buyer: Caller;
  sellerOrders: TestSellerOrder[];
  confirmed: EventData<'order.confirmed'>;
}

/** A confirmed order of `sellerCount` shops, each seller order with two products. */
export function newOrder(sellerCount = 2): TestOrder {
  const orderId = `order-${randomUUID()}`;
  const buyer = buyerIdentity();
  const sellerOrders = Array.from({ length: sellerCount }, (_, i) => ({
    sellerOrderId: `seller-order-${randomUUID()}`,
    seller: sellerIdentity(),
    items: [
      { productId: `product-${randomUUID()}`, quantity: i + 1 },
      { productId: `product-${randomUUID()}`, quantity: 1 },
    ],
  }));
  const confirmed: EventData<'order.confirmed'> = {
    orderId,
    buyerId: buyer.userId,
    sellerOrders: sellerOrders.map((so) => ({
      sellerOrderId: so.sellerOrderId,
      sellerId: so.seller.sellerId,
      items: so.items,
    })),
  };
  return { orderId, buyer, sellerOrders, confirmed };
}

/** Publishes events as orders would; resolves once the shipments consumer has committed them. */
export async function publish<T extends EventType>(
  subgraph: TestSubgraph,
  type: T,
  aggregateId: string,
  data: EventData<T>,
): Promise<EventEnvelope<T>> {
  const envelope = testEnvelope(type, aggregateId, data);
  await subgraph.bus.publish([envelope]);
  return envelope;
}

export const confirm = (subgraph: TestSubgraph, order: TestOrder) =>
  publish(subgraph, 'order.confirmed', order.orderId, order.confirmed);

export const cancel = (
  subgraph: TestSubgraph,
  order: TestOrder,
  reason: EventData<'order.cancelled'>['reason'] = 'BUYER_CANCELLED',
) =>
  publish(subgraph, 'order.cancelled', order.orderId, {
    orderId: order.orderId,
    buyerId: order.buyer.userId,
    reason,
    previousStatus: 'CONFIRMED',
  });

/** The shipment rows of an order, straight from the database. */
export function shipmentRowsOf(db: ShipmentsDb, orderId: string) {
  return db.prisma.shipment.findMany({ where: { orderId }, orderBy: { sellerOrderId: 'asc' } });
}

/** The shipment of a seller order, straight from the database (fails when there is none). */
export function shipmentRowOf(db: ShipmentsDb, sellerOrderId: string) {
  return db.prisma.shipment.findUniqueOrThrow({ where: { sellerOrderId } });
}

/** A shipment's timeline rows, in recording order. */
export function timelineOf(db: ShipmentsDb, shipmentId: string) {
  return db.prisma.shipmentEvent.findMany({ where: { shipmentId }, orderBy: { id: 'asc' } });
}

/** The outbox rows of a shipment, in the order the relay publishes them. */
export function outboxOf(db: ShipmentsDb, shipmentId: string) {
  return db.prisma.outboxEvent.findMany({
    where: { aggregateId: shipmentId },
    orderBy: { seq: 'asc' },
    select: { type: true, data: true },
  });
}

/** Everything a test can write to, counted: a failed mutation must leave all three unchanged. */
export async function rowCounts(db: ShipmentsDb) {
  const [shipments, timeline, outbox] = await Promise.all([
    db.prisma.shipment.count(),
    db.prisma.shipmentEvent.count(),
    db.prisma.outboxEvent.count(),
  ]);
  return { shipments, timeline, outbox };
}

/** The data of the recorded events of one type, typed by the catalog. */
export function dataOf<T extends EventType>(events: readonly EventEnvelope[], type: T): EventData<T>[] {
  return events.filter((e): e is EventEnvelope<T> => e.type === type).map((e) => e.data);
}

export const SHIPMENT_EVENT_TYPES = [
  'shipment.created',
  'shipment.shipped',
  'shipment.tracking_recorded',
  'shipment.delivered',
  'shipment.cancelled',
] as const satisfies readonly EventType[];

export interface EventRecorder {
  /** Waits until the relay delivered exactly `count` events of the shipment, and returns them. */
  eventsOf: (shipmentId: string, count: number) => Promise<EventEnvelope[]>;
  stop: () => Promise<void>;
}

/** Subscribes a recorder group to the shipment events the subgraph's relay publishes on the test bus. */
export async function recordShipmentEvents(subgraph: TestSubgraph): Promise<EventRecorder> {
  const delivered: EventEnvelope[] = [];
  const subscription = subgraph.bus.subscribe('test-recorder', SHIPMENT_EVENT_TYPES, async (events) => {
    delivered.push(...events);
  });
  await subscription.ready;
  return {
    eventsOf: (shipmentId, count) =>
      vi.waitFor(
        () => {
          const events = delivered.filter((e) => e.aggregateId === shipmentId);
          expect(events).toHaveLength(count);
          return events;
        },
        { timeout: 5_000, interval: 20 },
      ),
    stop: () => subscription.unsubscribe(),
  };
}

export const SHIP_SHIPMENT = contractOperation('ShipShipment');
export const RECORD_TRACKING_EVENT = contractOperation('RecordTrackingEvent');

export interface UserErrorData {
  field: string[] | null;
  message: string;
  code: string;
}

export interface ShipPayloadData {
  shipment: { id: string; status: string; carrier: string | null; trackingNumber: string | null } | null;
  userErrors: UserErrorData[];
}

export interface TrackingPayloadData {
  shipment: {
    id: string;
    status: string;
    events: { status: string; description: string; occurredAt: string }[];
  } | null;
  userErrors: UserErrorData[];
}

export async function shipAs(
  subgraph: TestSubgraph,
  caller: Caller,
  shipmentId: string,
  input: { carrier: string; trackingNumber?: string },
): Promise<ShipPayloadData> {
  const response = await subgraph.request<{ shipShipment: ShipPayloadData }>(
    SHIP_SHIPMENT,
    { shipmentId, input },
    { as: caller },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.shipShipment;
}

export async function recordAs(
  subgraph: TestSubgraph,
  caller: Caller,
  shipmentId: string,
  input: { status: string; description: string; location?: string; occurredAt?: string },
): Promise<TrackingPayloadData> {
  const response = await subgraph.request<{ recordTrackingEvent: TrackingPayloadData }>(
    RECORD_TRACKING_EVENT,
    { shipmentId, input },
    { as: caller },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.recordTrackingEvent;
}

export function entitiesQuery(selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`;
}
