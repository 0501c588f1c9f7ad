import type { EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import { sellOrderStock } from '../services/stock-reservation.service.ts';

/**
 * `order.confirmed` → the order's reserved units become sold. Safe to repeat, and a no-op for an order
 * catalog never reserved. The event's lines are not needed: the reservation rows say what is held.
 */
export async function handleOrderConfirmed(
  tx: Prisma.TransactionClient,
  data: EventData<'order.confirmed'>,
): Promise<void> {
  await sellOrderStock(tx, data.orderId);
}
