import type { EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import { releaseOrderStock } from '../services/stock-reservation.service.ts';

/**
 * `order.cancelled` → whatever the order holds (reserved or sold) goes back to available stock, with
 * `stock.released`. Safe to repeat; an order catalog never reserved (e.g. one it rejected) changes
 * nothing and emits nothing.
 */
export async function handleOrderCancelled(
  tx: Prisma.TransactionClient,
  data: EventData<'order.cancelled'>,
): Promise<void> {
  await releaseOrderStock(tx, data.orderId);
}
