import { unauthenticated, userError } from '@mp/kit';
import type { Context } from '../context.ts';
import { enqueueShipmentShipped, enqueueTrackingRecorded } from '../events/shipment-events.ts';
import type { ShipmentStatus } from '../generated/prisma/client.ts';
import * as timeline from '../repositories/shipment-event.repository.ts';
import * as shipments from '../repositories/shipment.repository.ts';
import { failed, remember, shipmentNotFound, succeeded, type ShipmentPayload } from './shipment-payload.ts';
import { AWAITING_SHIPMENT, checkShipInput, type UserError } from './shipment-rules.ts';

function notShippable(status: ShipmentStatus): UserError {
  return userError(
    ['shipmentId'],
    `The shipment is ${status}; only a ${AWAITING_SHIPMENT} shipment can be shipped`,
    'INVALID_TRANSITION',
  );
}

/**
 * The owning seller ships a PENDING shipment: carrier and tracking number (generated when absent),
 * LABEL_CREATED, a timeline entry, and `shipment.shipped` + `shipment.tracking_recorded`, all in one
 * transaction on the locked row. Anyone else's attempt, and an unknown id, is NOT_FOUND; nothing is
 * written unless every check passes.
 */
export async function shipShipment(
  ctx: Context,
  shipmentId: string,
  input: { carrier: string; trackingNumber?: string | null },
): Promise<ShipmentPayload> {
  if (!ctx.identity) throw unauthenticated();
  const sellerId = ctx.identity.sellerId;
  const known = await ctx.loaders.shipmentById.load(shipmentId);
  if (!known || sellerId === null || known.sellerId !== sellerId) return failed(shipmentNotFound(shipmentId));
  const checked = checkShipInput(input);
  if (!checked.ok) return failed(...checked.errors);
  const { carrier, trackingNumber } = checked.value;
  const payload = await ctx.prisma.$transaction(async (tx) => {
    // Decided on the locked row: a concurrent ship or cancellation may have committed since the load.
    const shipment = await shipments.findByIdForUpdate(tx, shipmentId);
    if (!shipment || shipment.sellerId !== sellerId) return failed(shipmentNotFound(shipmentId));
    if (shipment.status !== AWAITING_SHIPMENT) return failed(notShippable(shipment.status));
    const at = new Date();
    const shipped = await shipments.update(tx, shipmentId, {
      status: 'LABEL_CREATED',
      carrier,
      trackingNumber,
      shippedAt: at,
      lastEventAt: at,
    });
    const entry = await timeline.create(tx, {
      shipmentId,
      status: 'LABEL_CREATED',
      description: `Shipping label created: ${carrier}, tracking number ${trackingNumber}`,
      location: null,
      occurredAt: at,
      recordedAt: at,
    });
    await enqueueShipmentShipped(tx, shipped);
    await enqueueTrackingRecorded(tx, shipped, entry, shipment.status);
    return succeeded(shipped);
  });
  return remember(ctx, payload);
}
