// The order's side of the saga (ARCHITECTURE §4): how catalog's, payments' and shipments' events move an
// order. Every function runs inside the consumer's transaction, locks the order row first (events of one
// order can arrive on different topics at once) and is a no-op when the order already moved on.
import type { EventData } from '@mp/events';
import type { Logger } from '@mp/kit';
import {
  enqueueOrderCancelled,
  enqueueOrderCompleted,
  enqueueOrderConfirmed,
} from '../events/order-events.ts';
import type { OrderCancelReason, Prisma } from '../generated/prisma/client.ts';
import * as orders from '../repositories/order.repository.ts';
import type { OrderRow } from '../repositories/order.repository.ts';
import { canTransition } from './order-state.ts';

type Tx = Prisma.TransactionClient;

/**
 * Cancels an order the caller has locked (`orders.lock`), and its seller orders, if the state machine
 * allows it from where it is, and tells the other subgraphs so they compensate: catalog releases stock,
 * payments voids or refunds, shipments cancels pending shipments. Returns the cancelled order, or null.
 */
export async function cancelLocked(
  tx: Tx,
  order: OrderRow,
  reason: OrderCancelReason,
): Promise<OrderRow | null> {
  if (!canTransition(order.status, 'CANCELLED')) return null;
  const previousStatus = order.status as 'PENDING' | 'CONFIRMED';
  const cancelled = await orders.transition(tx, order.id, [previousStatus], 'CANCELLED', reason);
  await orders.transitionSellerOrders(tx, { orderId: order.id }, ['PENDING', 'CONFIRMED'], 'CANCELLED');
  await enqueueOrderCancelled(tx, cancelled!, reason, previousStatus);
  return cancelled;
}

const PAYMENT_FAILURES: Record<EventData<'payment.failed'>['reason'], OrderCancelReason> = {
  DECLINED: 'PAYMENT_DECLINED',
  PROVIDER_UNAVAILABLE: 'PAYMENT_FAILED',
  INVALID_PAYMENT_METHOD: 'PAYMENT_FAILED',
};

export async function onStockRejected(tx: Tx, data: EventData<'stock.rejected'>): Promise<void> {
  await cancelPending(tx, data.orderId, data.reason);
}

export async function onPaymentFailed(tx: Tx, data: EventData<'payment.failed'>): Promise<void> {
  await cancelPending(tx, data.orderId, PAYMENT_FAILURES[data.reason]);
}

/** Stock and payment both settled: the order is CONFIRMED and the shops may ship. */
export async function onPaymentAuthorized(
  tx: Tx,
  data: EventData<'payment.authorized'>,
  log: Logger,
): Promise<void> {
  const order = await orders.lock(tx, data.orderId);
  if (!order || order.status !== 'PENDING') {
    // Cancelled meanwhile: payments voids the authorization when it hears order.cancelled.
    log.info(
      { orderId: data.orderId, status: order?.status },
      'payment authorized for an order that moved on',
    );
    return;
  }
  const confirmed = await orders.transition(tx, order.id, ['PENDING'], 'CONFIRMED');
  await orders.transitionSellerOrders(tx, { orderId: order.id }, ['PENDING'], 'CONFIRMED');
  const [sellerOrders, items] = await Promise.all([
    orders.findSellerOrdersByOrderIds(tx, [order.id]),
    orders.findItemsByOrderIds(tx, [order.id]),
  ]);
  await enqueueOrderConfirmed(tx, confirmed!, sellerOrders, items);
}

/** A shop handed its part to the carrier: from now on the buyer can no longer cancel. */
export async function onShipmentShipped(
  tx: Tx,
  data: EventData<'shipment.shipped'>,
  log: Logger,
): Promise<void> {
  await orders.lock(tx, data.orderId);
  const moved = await orders.transitionSellerOrders(tx, { id: data.sellerOrderId }, ['CONFIRMED'], 'SHIPPED');
  if (moved === 0) log.warn({ ...data }, 'shipment shipped for a seller order that is not CONFIRMED');
}

/** A part was delivered; when every part is, the order is COMPLETED. */
export async function onShipmentDelivered(tx: Tx, data: EventData<'shipment.delivered'>): Promise<void> {
  const order = await orders.lock(tx, data.orderId);
  if (!order) return;
  await orders.transitionSellerOrders(tx, { id: data.sellerOrderId }, ['CONFIRMED', 'SHIPPED'], 'DELIVERED');
  const parts = await orders.findSellerOrdersByOrderIds(tx, [order.id]);
  if (order.status !== 'CONFIRMED' || parts.some((part) => part.status !== 'DELIVERED')) return;
  const completed = await orders.transition(tx, order.id, ['CONFIRMED'], 'COMPLETED');
  await enqueueOrderCompleted(tx, completed!);
}

async function cancelPending(tx: Tx, orderId: string, reason: OrderCancelReason): Promise<void> {
  const order = await orders.lock(tx, orderId);
  // Only a PENDING order waits on stock and payment; a late failure for another state changes nothing.
  if (order?.status === 'PENDING') await cancelLocked(tx, order, reason);
}
