// Orders' outgoing events, each enqueued in the transaction of the change it describes, after the
// statement that changed (and so locked) the order row; aggregateId = order id.
import { enqueueEvent, type EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import type { NewOrder, OrderItemRow, OrderRow, SellerOrderRow } from '../repositories/order.repository.ts';

type Tx = Prisma.TransactionClient;

function itemsOf(sellerOrder: SellerOrderRow, items: readonly OrderItemRow[]) {
  return items.filter((item) => item.sellerOrderId === sellerOrder.id);
}

/** From the order as checkout drafted it (what it just inserted), so nothing is read back. */
export async function enqueueOrderPlaced(tx: Tx, placed: NewOrder, paymentToken: string): Promise<void> {
  const { order, sellerOrders, items } = placed;
  await enqueueEvent(tx, 'order.placed', order.id, {
    orderId: order.id,
    buyerId: order.buyerId,
    currencyCode: order.currencyCode,
    totalMinor: Number(order.totalMinor),
    paymentToken,
    sellerOrders: sellerOrders.map((s) => ({
      sellerOrderId: s.id,
      sellerId: s.sellerId,
      subtotalMinor: Number(s.subtotalMinor),
      items: items
        .filter((i) => i.sellerOrderId === s.id)
        .map((i) => ({
          productId: i.productId,
          quantity: i.quantity,
          unitPriceMinor: Number(i.unitPriceMinor),
        })),
    })),
  });
}

export async function enqueueOrderConfirmed(
  tx: Tx,
  order: OrderRow,
  sellerOrders: readonly SellerOrderRow[],
  items: readonly OrderItemRow[],
): Promise<void> {
  await enqueueEvent(tx, 'order.confirmed', order.id, {
    orderId: order.id,
    buyerId: order.buyerId,
    sellerOrders: sellerOrders.map((s) => ({
      sellerOrderId: s.id,
      sellerId: s.sellerId,
      items: itemsOf(s, items).map((i) => ({ productId: i.productId, quantity: i.quantity })),
    })),
  });
}

export async function enqueueOrderCancelled(
  tx: Tx,
  order: OrderRow,
  reason: EventData<'order.cancelled'>['reason'],
  previousStatus: EventData<'order.cancelled'>['previousStatus'],
): Promise<void> {
  await enqueueEvent(tx, 'order.cancelled', order.id, {
    orderId: order.id,
    buyerId: order.buyerId,
    reason,
    previousStatus,
  });
}

export async function enqueueOrderCompleted(tx: Tx, order: OrderRow): Promise<void> {
  await enqueueEvent(tx, 'order.completed', order.id, { orderId: order.id, buyerId: order.buyerId });
}
