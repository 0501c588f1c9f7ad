import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { handleOrderCancelled } from './order-cancelled.handler.ts';
import { handleOrderConfirmed } from './order-confirmed.handler.ts';
import { handleOrderPlaced } from './order-placed.handler.ts';
import { handleReviewApproved } from './review.handler.ts';
import { handleSellerState } from './seller-state.handler.ts';

const CATALOG_CONSUMED_TYPES = [
  'seller.created',
  'seller.status_changed',
  'order.placed',
  'order.confirmed',
  'order.cancelled',
  'review.approved',
] as const;

/**
 * Catalog's one consumer group (`catalog`) on the bus: every type it consumes goes through this
 * subscription (Kafka's assignors expect all members of a group to subscribe to the same topics).
 * Each event's effect commits in its own transaction together with its inbox row, so a redelivery is a
 * no-op; handlers never do network I/O. One transaction per event: reservations lock product rows that
 * orders in other lanes lock too, and a batch would deadlock against them.
 */
export function startCatalogConsumer(bus: EventBus, prisma: PrismaClient, log: Logger): Consumer {
  return startConsumer(bus, {
    group: 'catalog',
    types: CATALOG_CONSUMED_TYPES,
    transaction: (fn: (tx: Prisma.TransactionClient) => Promise<void>) => prisma.$transaction(fn),
    transactionPerEvent: true,
    handle: async (event, tx) => {
      switch (event.type) {
        case 'seller.created':
        case 'seller.status_changed':
          return handleSellerState(tx, event.data);
        case 'order.placed':
          return handleOrderPlaced(tx, event.data, log);
        case 'order.confirmed':
          return handleOrderConfirmed(tx, event.data);
        case 'order.cancelled':
          return handleOrderCancelled(tx, event.data);
        case 'review.approved':
          return handleReviewApproved(tx, event.data);
      }
    },
    log,
  });
}
