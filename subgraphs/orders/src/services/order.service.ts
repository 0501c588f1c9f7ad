import {
  forbidden,
  notFound,
  pageSize,
  toConnection,
  unauthenticated,
  userError,
  type Connection,
  type UserError,
} from '@mp/kit';
import type { Context } from '../context.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import * as orders from '../repositories/order.repository.ts';
import { cancelLocked } from './order-saga.service.ts';
import { parsePositionCursor, positionCursor } from './order-cursor.ts';
import { viewOrder, viewSellerOrder, type OrderView, type SellerOrderView } from './order-view.ts';

export interface PagedConnection<T> extends Connection<T> {
  totalCount: () => Promise<number>;
}

function identityOf(ctx: Context) {
  if (!ctx.identity) throw unauthenticated();
  return ctx.identity;
}

/** One order the caller may see; NOT_FOUND otherwise, whether it does not exist or is someone else's. */
export async function findOrder(ctx: Context, id: string): Promise<OrderView> {
  const view = await viewOrder(ctx, await ctx.loaders.orderById.load(id));
  if (!view) throw notFound('Order', id);
  return view;
}

/** An order reference from another subgraph (a payment's, a shipment's): null when not visible. */
export async function orderReference(ctx: Context, id: string): Promise<OrderView | null> {
  return viewOrder(ctx, await ctx.loaders.orderById.load(id));
}

/** One part of an order the caller may see (its shop, the buyer, admins); NOT_FOUND otherwise. */
export async function findSellerOrder(ctx: Context, id: string): Promise<SellerOrderView> {
  identityOf(ctx);
  const view = await sellerOrderReference(ctx, id);
  if (!view || view.scope.kind === 'status') throw notFound('SellerOrder', id);
  return view;
}

export async function sellerOrderReference(ctx: Context, id: string): Promise<SellerOrderView | null> {
  return viewSellerOrder(ctx, await ctx.loaders.sellerOrderById.load(id));
}

/** A user's orders, newest first: only the user and admins may list them. */
export async function buyerOrders(
  ctx: Context,
  userId: string,
  args: { first?: number | null; after?: string | null },
): Promise<PagedConnection<OrderView>> {
  const identity = identityOf(ctx);
  if (identity.userId !== userId && !identity.scopes.includes('admin')) {
    throw forbidden(`You can list only your own orders, not those of user "${userId}"`);
  }
  const first = pageSize(args.first, 10);
  const after = args.after == null ? null : parsePositionCursor(args.after);
  const rows = await orders.findByBuyer(ctx.prisma, userId, after, first + 1);
  for (const row of rows) ctx.loaders.orderById.prime(row.id, row);
  const connection = toConnection(rows, first, positionCursor, after !== null);
  return {
    ...connection,
    edges: connection.edges.map((e) => ({
      cursor: e.cursor,
      node: { order: e.node, scope: { kind: 'all' } },
    })),
    totalCount: () => orders.countByBuyer(ctx.prisma, userId),
  };
}

/** A shop's parts of orders, newest first: only its owner and admins may list them. */
export async function shopOrders(
  ctx: Context,
  sellerId: string,
  args: { first?: number | null; after?: string | null },
): Promise<PagedConnection<SellerOrderView>> {
  const identity = identityOf(ctx);
  if (identity.sellerId !== sellerId && !identity.scopes.includes('admin')) {
    throw forbidden(`You can list only your own shop's orders, not those of seller "${sellerId}"`);
  }
  const first = pageSize(args.first, 10);
  const after = args.after == null ? null : parsePositionCursor(args.after);
  const rows = await orders.findSellerOrdersBySeller(ctx.prisma, sellerId, after, first + 1);
  const connection = toConnection(rows, first, positionCursor, after !== null);
  return {
    ...connection,
    edges: connection.edges.map((e) => ({
      cursor: e.cursor,
      node: { sellerOrder: e.node, scope: { kind: 'seller', sellerId } },
    })),
    totalCount: () => orders.countSellerOrdersBySeller(ctx.prisma, sellerId),
  };
}

export interface OrderPayload {
  order: OrderView | null;
  userErrors: UserError<UserErrorCode>[];
}

/** The buyer cancels, as long as no part of the order has left with a carrier. */
export async function cancelByBuyer(ctx: Context, id: string): Promise<OrderPayload> {
  const identity = identityOf(ctx);
  const outcome = await ctx.prisma.$transaction(async (tx) => {
    const order = orders.uuids([id]).length > 0 ? await orders.lock(tx, id) : null;
    if (!order || order.buyerId !== identity.userId) return null;
    const left = (await orders.findSellerOrdersByOrderIds(tx, [id])).filter(
      (part) => part.status === 'SHIPPED' || part.status === 'DELIVERED',
    ).length;
    const cancelled = left === 0 ? await cancelLocked(tx, order, 'BUYER_CANCELLED') : null;
    return { order, left, cancelled };
  });
  if (!outcome) {
    return { order: null, userErrors: [userError('id', `You have no order "${id}"`, 'NOT_FOUND')] };
  }
  const { order, left, cancelled } = outcome;
  if (cancelled) return { order: { order: cancelled, scope: { kind: 'all' } }, userErrors: [] };
  return {
    order: null,
    userErrors: [
      userError(
        'id',
        `Order "${id}" can no longer be cancelled: it is ${order.status}${
          left > 0 ? ` and ${left} of its shipments already left` : ''
        }`,
        'CANNOT_CANCEL',
      ),
    ],
  };
}
