import type { Context } from '../context.ts';
import { enqueueShipmentDelivered, enqueueTrackingRecorded } from '../events/shipment-events.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import * as timeline from '../repositories/shipment-event.repository.ts';
import * as shipments from '../repositories/shipment.repository.ts';
import { failed, remember, shipmentNotFound, succeeded, type ShipmentPayload } from './shipment-payload.ts';
import {
  canRecord,
  checkTrackingInput,
  invalidTrackingTransition,
  type TrackingInput,
} from './shipment-rules.ts';

/**
 * Records one tracking event inside the caller's transaction: the one way a shipment moves after it was
 * shipped, used by `recordTrackingEvent` and by the carrier simulator alike. Checks the input, locks
 * the shipment, checks the move against TRACKING_TRANSITIONS, then writes the status (and deliveredAt),
 * the timeline entry, `shipment.tracking_recorded` and, on DELIVERED, `shipment.delivered`. Nothing is
 * written when it answers userErrors.
 */
export async function recordTracking(
  tx: Prisma.TransactionClient,
  shipmentId: string,
  input: TrackingInput,
  now: Date = new Date(),
): Promise<ShipmentPayload> {
  const checked = checkTrackingInput(input, now);
  if (!checked.ok) return failed(...checked.errors);
  const event = checked.value;
  const shipment = await shipments.findByIdForUpdate(tx, shipmentId);
  if (!shipment) return failed(shipmentNotFound(shipmentId));
  if (!canRecord(shipment.status, event.status)) {
    return failed(invalidTrackingTransition(shipment.status, event.status));
  }
  const delivered = event.status === 'DELIVERED';
  const updated = await shipments.update(tx, shipmentId, {
    status: event.status,
    lastEventAt: now,
    ...(delivered ? { deliveredAt: event.occurredAt } : {}),
  });
  const entry = await timeline.create(tx, { shipmentId, ...event, recordedAt: now });
  await enqueueTrackingRecorded(tx, updated, entry, shipment.status);
  if (delivered) await enqueueShipmentDelivered(tx, updated);
  return succeeded(updated);
}

/** A carrier reports a tracking event (the carrier scope is enforced by the schema's @requiresScopes). */
export async function recordTrackingEvent(
  ctx: Context,
  shipmentId: string,
  input: TrackingInput,
): Promise<ShipmentPayload> {
  const payload = await ctx.prisma.$transaction((tx) => recordTracking(tx, shipmentId, input));
  return remember(ctx, payload);
}
