import { startConsumer, type AnyEnvelope, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import * as listings from '../repositories/listing.repository.ts';
import { countPaidOrder, uncountOrder } from '../services/purchase.service.ts';

const CONSUMED_TYPES = [
  'seller.created',
  'seller.status_changed',
  'product.created',
  'product.updated',
  'product.stock_changed',
  'order.confirmed',
  'order.cancelled',
] as const;

type Consumed = AnyEnvelope<(typeof CONSUMED_TYPES)[number]>;

async function handle(event: Consumed, tx: Prisma.TransactionClient, log: Logger): Promise<void> {
  switch (event.type) {
    case 'seller.created':
      return listings.upsertSeller(tx, event.data);
    case 'seller.status_changed':
      return listings.upsertSellerStatus(tx, event.data.sellerId, event.data.status);
    case 'product.created':
    case 'product.updated':
      return listings.upsertListing(tx, event.data, new Date(event.occurredAt));
    case 'product.stock_changed': {
      // Catalog sends one when a seller sets stock and whenever the saga reserves or releases units, so
      // a product that sells out (or comes back) is seen here within one event.
      const listed = await listings.setStock(tx, event.data.productId, event.data.stock);
      if (!listed)
        log.debug({ productId: event.data.productId }, 'stock of a product never listed here; ignored');
      return;
    }
    case 'order.confirmed': {
      const { orderId, buyerId, sellerOrders } = event.data;
      const productIds = sellerOrders.flatMap((s) => s.items.map((item) => item.productId));
      await countPaidOrder(tx, { orderId, buyerId, productIds, at: new Date(event.occurredAt) });
      return;
    }
    case 'order.cancelled':
      // Only a paid order was counted; one cancelled while PENDING never was.
      if (event.data.previousStatus === 'CONFIRMED') {
        await uncountOrder(tx, event.data.orderId, new Date(event.occurredAt));
      }
      return;
  }
}

/**
 * Recommendations' one consumer group: the listing and shop projection (what may be recommended) and
 * the paid orders the model learns from. One transaction per event, as catalog's reservations: orders of
 * different buyers update the same pair and product rows from several lanes at once, and a batch would
 * hold those locks across events in no common order. `onCommitted` runs after each commit (the base
 * feed's invalidation).
 */
export function startRecommendationsConsumer(
  bus: EventBus,
  prisma: PrismaClient,
  log: Logger,
  onCommitted: () => Promise<void>,
): Consumer {
  return startConsumer(bus, {
    group: 'recommendations',
    types: CONSUMED_TYPES,
    transaction: async (fn: (tx: Prisma.TransactionClient) => Promise<void>) => {
      await prisma.$transaction(fn);
      await onCommitted();
    },
    transactionPerEvent: true,
    handle: (event, tx) => handle(event, tx, log),
    log,
  });
}
