import type { Identity } from '@mp/auth';
import type { Context } from '../context.ts';
import type { OrderItemRow, OrderRow, SellerOrderRow } from '../repositories/order.repository.ts';

/**
 * How much of an order a caller sees: its buyer and admins everything; a seller only its own part (items
 * and seller order); a carrier the order's id and status (a shipment's `order { id status }`).
 */
export type OrderScope = { kind: 'all' } | { kind: 'seller'; sellerId: string } | { kind: 'status' };

export interface OrderView {
  order: OrderRow;
  scope: OrderScope;
}

export interface SellerOrderView {
  sellerOrder: SellerOrderRow;
  scope: OrderScope;
}

function isBuyerOrAdmin(identity: Identity, buyerId: string): boolean {
  return identity.userId === buyerId || identity.scopes.includes('admin');
}

/** The caller's view of an order, or null when they may not see it at all. */
export async function viewOrder(ctx: Context, order: OrderRow | null): Promise<OrderView | null> {
  const identity = ctx.identity;
  if (!order || !identity) return null;
  if (isBuyerOrAdmin(identity, order.buyerId)) return { order, scope: { kind: 'all' } };
  if (identity.sellerId) {
    const parts = await ctx.loaders.sellerOrdersByOrderId.load(order.id);
    if (parts.some((part) => part.sellerId === identity.sellerId)) {
      return { order, scope: { kind: 'seller', sellerId: identity.sellerId } };
    }
  }
  if (identity.scopes.includes('carrier')) return { order, scope: { kind: 'status' } };
  return null;
}

/** The caller's view of one shop's part of an order, or null. */
export async function viewSellerOrder(
  ctx: Context,
  sellerOrder: SellerOrderRow | null,
): Promise<SellerOrderView | null> {
  const identity = ctx.identity;
  if (!sellerOrder || !identity) return null;
  if (identity.sellerId === sellerOrder.sellerId) {
    return { sellerOrder, scope: { kind: 'seller', sellerId: sellerOrder.sellerId } };
  }
  const order = await ctx.loaders.orderById.load(sellerOrder.orderId);
  if (order && isBuyerOrAdmin(identity, order.buyerId)) return { sellerOrder, scope: { kind: 'all' } };
  if (identity.scopes.includes('carrier')) return { sellerOrder, scope: { kind: 'status' } };
  return null;
}

export function visibleItems(scope: OrderScope, items: readonly OrderItemRow[]): OrderItemRow[] {
  if (scope.kind === 'all') return [...items];
  if (scope.kind === 'seller') return items.filter((item) => item.sellerId === scope.sellerId);
  return [];
}

export function visibleSellerOrders(scope: OrderScope, parts: readonly SellerOrderRow[]): SellerOrderRow[] {
  if (scope.kind === 'all') return [...parts];
  if (scope.kind === 'seller') return parts.filter((part) => part.sellerId === scope.sellerId);
  return [];
}
