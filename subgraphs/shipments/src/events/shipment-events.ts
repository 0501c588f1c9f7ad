// Shipments' outgoing events. Each is written with `enqueueEvent` inside the transaction of the change it
// describes, after the statement that changed (and so locked) the shipment row; aggregateId = shipment
// id, and every payload names the order, seller order, seller and buyer (consumers need no lookup).
import { enqueueEvent, type SqlTx } from '@mp/events';
import type { ShipmentStatus } from '../generated/prisma/client.ts';
import type { ShipmentEventRow } from '../repositories/shipment-event.repository.ts';
import type { ShipmentRow } from '../repositories/shipment.repository.ts';

type ShipmentRef = Pick<ShipmentRow, 'id' | 'orderId' | 'sellerOrderId' | 'sellerId' | 'buyerId'>;

function refOf(shipment: ShipmentRef) {
  return {
    shipmentId: shipment.id,
    orderId: shipment.orderId,
    sellerOrderId: shipment.sellerOrderId,
    sellerId: shipment.sellerId,
    buyerId: shipment.buyerId,
  };
}

/** The distinct products in the parcel, in the order the seller order listed them. */
function productIdsOf(shipment: Pick<ShipmentRow, 'items'>): string[] {
  return [...new Set(shipment.items.map((item) => item.productId))];
}

export async function enqueueShipmentCreated(tx: SqlTx, shipment: ShipmentRow): Promise<void> {
  await enqueueEvent(tx, 'shipment.created', shipment.id, {
    ...refOf(shipment),
    productIds: productIdsOf(shipment),
  });
}

export async function enqueueShipmentShipped(tx: SqlTx, shipment: ShipmentRow): Promise<void> {
  await enqueueEvent(tx, 'shipment.shipped', shipment.id, {
    ...refOf(shipment),
    carrier: shipment.carrier ?? '',
    trackingNumber: shipment.trackingNumber ?? '',
  });
}

export async function enqueueTrackingRecorded(
  tx: SqlTx,
  shipment: ShipmentRow,
  entry: ShipmentEventRow,
  previousStatus: ShipmentStatus,
): Promise<void> {
  await enqueueEvent(tx, 'shipment.tracking_recorded', shipment.id, {
    ...refOf(shipment),
    status: entry.status,
    previousStatus,
    description: entry.description,
    location: entry.location,
    occurredAt: entry.occurredAt.toISOString(),
  });
}

export async function enqueueShipmentDelivered(tx: SqlTx, shipment: ShipmentRow): Promise<void> {
  await enqueueEvent(tx, 'shipment.delivered', shipment.id, {
    ...refOf(shipment),
    productIds: productIdsOf(shipment),
    deliveredAt: (shipment.deliveredAt ?? shipment.updatedAt).toISOString(),
  });
}

export async function enqueueShipmentCancelled(tx: SqlTx, shipment: ShipmentRow): Promise<void> {
  await enqueueEvent(tx, 'shipment.cancelled', shipment.id, refOf(shipment));
}
