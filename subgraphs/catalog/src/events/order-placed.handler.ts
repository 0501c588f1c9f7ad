import type { EventData } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma } from '../generated/prisma/client.ts';
import { reserveOrderStock } from '../services/stock-reservation.service.ts';

/**
 * `order.placed` → reserve every line of every seller order at once, or reject the whole order
 * (`stock.reserved` | `stock.rejected`). A rejection is an expected outcome and never throws, so the
 * other orders of the consumer's batch commit with it.
 */
export async function handleOrderPlaced(
  tx: Prisma.TransactionClient,
  data: EventData<'order.placed'>,
  log: Logger,
): Promise<void> {
  const lines = data.sellerOrders.flatMap((sellerOrder) =>
    sellerOrder.items.map(({ productId, quantity }) => ({ productId, quantity })),
  );
  const outcome = await reserveOrderStock(tx, data.orderId, lines);
  if (outcome.status === 'REJECTED') {
    log.info(
      { orderId: data.orderId, reason: outcome.reason, productIds: outcome.productIds },
      'order rejected',
    );
  } else if (outcome.status === 'ALREADY_HANDLED') {
    log.debug({ orderId: data.orderId }, 'order.placed for an order handled before; ignored');
  }
}
