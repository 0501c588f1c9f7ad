// What shipments does when orders tell it about an order: the consumer's side of the saga. Runs inside
// the consumer's batch transaction; the inbox makes a redelivered event a no-op, and these functions
// are idempotent on their own too (a second order.confirmed creates nothing, a second order.cancelled
// finds nothing PENDING).
import { randomUUID } from 'node:crypto';
import type { EventData } from '@mp/events';
import { enqueueShipmentCancelled, enqueueShipmentCreated } from '../events/shipment-events.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import * as timeline from '../repositories/shipment-event.repository.ts';
import * as shipments from '../repositories/shipment.repository.ts';
import type { ShipmentRow } from '../repositories/shipment.repository.ts';
import { AWAITING_SHIPMENT } from './shipment-rules.ts';

type Tx = Prisma.TransactionClient;
type CancelReason = EventData<'order.cancelled'>['reason'];

const CANCEL_REASONS: Record<CancelReason, string> = {
  OUT_OF_STOCK: 'an item is out of stock',
  PRODUCT_UNAVAILABLE: 'an item is no longer available',
  PAYMENT_DECLINED: 'the payment was declined',
  PAYMENT_FAILED: 'the payment failed',
  BUYER_CANCELLED: 'the buyer cancelled it',
};

/**
 * One PENDING shipment per seller order of a confirmed order, each with its first timeline entry and a
 * `shipment.created`. A seller order that already has its shipment is left alone.
 */
export async function createShipmentsForOrder(
  tx: Tx,
  order: EventData<'order.confirmed'>,
  confirmedAt: Date,
  now: Date = new Date(),
): Promise<ShipmentRow[]> {
  const created: ShipmentRow[] = [];
  for (const sellerOrder of order.sellerOrders) {
    const shipment = await shipments.insertIfAbsent(tx, {
      id: randomUUID(),
      orderId: order.orderId,
      sellerOrderId: sellerOrder.sellerOrderId,
      sellerId: sellerOrder.sellerId,
      buyerId: order.buyerId,
      items: sellerOrder.items,
      at: now,
    });
    if (!shipment) continue;
    await timeline.create(tx, {
      shipmentId: shipment.id,
      status: 'PENDING',
      description: 'Order confirmed; the seller is preparing the parcel',
      location: null,
      occurredAt: confirmedAt < now ? confirmedAt : now,
      recordedAt: now,
    });
    await enqueueShipmentCreated(tx, shipment);
    created.push(shipment);
  }
  return created;
}

/**
 * The order's PENDING shipments become CANCELLED, each with a timeline entry and a
 * `shipment.cancelled`. Shipments that already left are untouched: the parcel is on its way.
 */
export async function cancelPendingShipments(
  tx: Tx,
  order: EventData<'order.cancelled'>,
  now: Date = new Date(),
): Promise<ShipmentRow[]> {
  const cancelled = await shipments.updateOfOrderInStatus(tx, order.orderId, AWAITING_SHIPMENT, {
    status: 'CANCELLED',
    lastEventAt: now,
  });
  for (const shipment of cancelled) {
    await timeline.create(tx, {
      shipmentId: shipment.id,
      status: 'CANCELLED',
      description: `Order cancelled: ${CANCEL_REASONS[order.reason]}. Nothing will be shipped`,
      location: null,
      occurredAt: now,
      recordedAt: now,
    });
    await enqueueShipmentCancelled(tx, shipment);
  }
  return cancelled;
}
