import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import * as receivedProducts from '../repositories/received-product.repository.ts';

/** `deliveredAt` as a date; an unreadable one falls back to when the event was written. */
function deliveryTime(deliveredAt: string, occurredAt: string, log: Logger): Date {
  const date = new Date(deliveredAt);
  if (!Number.isNaN(date.getTime())) return date;
  log.warn({ deliveredAt }, 'shipment.delivered has an unreadable deliveredAt; using occurredAt');
  return new Date(occurredAt);
}

/**
 * Reviews' one consumer (group `reviews`). `shipment.delivered` tells which products a buyer received
 * from which shop: each becomes a `received_products` row, which is what lets the buyer review it. Rows
 * are only ever added (ON CONFLICT DO NOTHING), so redeliveries, a second delivery of the same product
 * and any arrival order leave the same state; the inbox (same transaction) skips exact repeats.
 */
export function startDeliveryConsumer(bus: EventBus, prisma: PrismaClient, log: Logger): Consumer {
  return startConsumer(bus, {
    group: 'reviews',
    types: ['shipment.delivered'],
    transaction: (fn: (tx: Prisma.TransactionClient) => Promise<void>) => prisma.$transaction(fn),
    handle: async (event, tx) => {
      switch (event.type) {
        case 'shipment.delivered': {
          const { buyerId, sellerId, productIds, deliveredAt } = event.data;
          const receivedAt = deliveryTime(deliveredAt, event.occurredAt, log);
          await receivedProducts.recordMany(
            tx,
            [...new Set(productIds)].map((productId) => ({ buyerId, productId, sellerId, receivedAt })),
          );
          break;
        }
      }
    },
    log,
  });
}
