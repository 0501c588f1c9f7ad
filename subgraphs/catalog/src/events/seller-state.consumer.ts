import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import * as sellerStates from '../repositories/seller-state.repository.ts';

/**
 * Keeps `seller_states` (which shops are ACTIVE) in step with the sellers subgraph. Both events carry
 * the shop's full current status, so each one simply overwrites the row: a missed `seller.created` is
 * repaired by the next status change. The inbox (same transaction) makes redeliveries no-ops.
 */
export function startSellerStateConsumer(bus: EventBus, prisma: PrismaClient, log: Logger): Consumer {
  return startConsumer(bus, {
    group: 'catalog',
    types: ['seller.created', 'seller.status_changed'],
    transaction: (fn: (tx: Prisma.TransactionClient) => Promise<void>) => prisma.$transaction(fn),
    handle: async (event, tx) => {
      const { sellerId, ownerId, status } = event.data;
      await sellerStates.upsert(tx, { sellerId, ownerId, status });
    },
    log,
  });
}
