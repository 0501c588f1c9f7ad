import type { Identity } from '@mp/auth';
import type { Context } from '../context.ts';
import type { ShipmentRow } from '../repositories/shipment.repository.ts';

/**
 * The one visibility rule: a shipment is seen by the order's buyer, by the shop that ships it, and by
 * carriers and admins. Everyone else (anonymous callers included) gets null for it and it is left out
 * of lists, wherever it is asked for (`shipment`, `_entities`, `Order.shipments`, `SellerOrder.shipment`).
 */
export function canSee(identity: Identity | null, shipment: ShipmentRow): boolean {
  if (!identity) return false;
  return (
    identity.userId === shipment.buyerId ||
    (identity.sellerId !== null && identity.sellerId === shipment.sellerId) ||
    identity.scopes.includes('carrier') ||
    identity.scopes.includes('admin')
  );
}

/** A shipment the caller may see, or null (also when it exists but is hidden from them). */
export async function findVisibleShipment(ctx: Context, id: string): Promise<ShipmentRow | null> {
  const shipment = await ctx.loaders.shipmentById.load(id);
  return shipment && canSee(ctx.identity, shipment) ? shipment : null;
}

/** The order's shipments the caller may see: all for its buyer, carriers and admins; a seller's own. */
export async function visibleShipmentsOfOrder(ctx: Context, orderId: string): Promise<ShipmentRow[]> {
  const shipments = await ctx.loaders.shipmentsByOrderId.load(orderId);
  return shipments.filter((shipment) => canSee(ctx.identity, shipment));
}

/** The seller order's shipment, when there is one and the caller may see it. */
export async function visibleShipmentOfSellerOrder(
  ctx: Context,
  sellerOrderId: string,
): Promise<ShipmentRow | null> {
  const shipment = await ctx.loaders.shipmentBySellerOrderId.load(sellerOrderId);
  return shipment && canSee(ctx.identity, shipment) ? shipment : null;
}
