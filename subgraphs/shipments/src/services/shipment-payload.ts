import { userError } from '@mp/kit';
import type { Context } from '../context.ts';
import type { ShipmentRow } from '../repositories/shipment.repository.ts';
import type { UserError } from './shipment-rules.ts';

/** What shipment mutations answer: the shipment after the change, or null with the reasons why not. */
export interface ShipmentPayload {
  shipment: ShipmentRow | null;
  userErrors: UserError[];
}

export const failed = (...userErrors: UserError[]): ShipmentPayload => ({ shipment: null, userErrors });

export const succeeded = (shipment: ShipmentRow): ShipmentPayload => ({ shipment, userErrors: [] });

/** Another shop's shipment gets the same answer as a missing one, so ids of other shops leak nothing. */
export function shipmentNotFound(shipmentId: string): UserError {
  return userError(['shipmentId'], `Shipment "${shipmentId}" was not found`, 'NOT_FOUND');
}

/** Later fields of the same request (events, status) see the shipment as the mutation left it. */
export function remember(ctx: Context, payload: ShipmentPayload): ShipmentPayload {
  const shipment = payload.shipment;
  if (shipment) {
    ctx.loaders.shipmentById.clear(shipment.id).prime(shipment.id, shipment);
    ctx.loaders.eventsByShipmentId.clear(shipment.id);
  }
  return payload;
}
