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

/**
 * What an event changed that the model's cached rows show (services/neighbourhoods.ts): these
 * products' counts or listings, or 'all' (a shop's name or status, shown with all its products).
 */
export type ModelChange = readonly string[] | 'all';

async function handle(event: Consumed, tx: Prisma.TransactionClient, log: Logger): Promise<ModelChange> {
  switch (event.type) {
    case 'seller.created':
      await listings.upsertSeller(tx, event.data);
      return 'all';
    case 'seller.status_changed':
      await listings.upsertSellerStatus(tx, event.data.sellerId, event.data.status);
      return 'all';
    case 'product.created':
    case 'product.updated':
      await listings.upsertListing(tx, event.data, new Date(event.occurredAt));
      return [event.data.productId];
    case 'product.stock_changed': {
      // Catalog sends one when a seller sets stock and whenever the saga reserves or releases units, so
      // a product that sells out (or comes back) is seen here within one event.
      const listed = await listings.setStock(tx, event.data.productId, event.data.stock);
      if (!listed)
        log.debug({ productId: event.data.productId }, 'stock of a product never listed here; ignored');
      return [event.data.productId];
    }
    case 'order.confirmed': {
      const { orderId, buyerId, sellerOrders } = event.data;
      const productIds = sellerOrders.flatMap((s) => s.items.map((item) => item.productId));
      return countPaidOrder(tx, { orderId, buyerId, productIds, at: new Date(event.occurredAt) });
    }
    case 'order.cancelled':
      // Only a paid order was counted; one cancelled while PENDING never was.
      if (event.data.previousStatus !== 'CONFIRMED') return [];
      return uncountOrder(tx, event.data.orderId, new Date(event.occurredAt));
  }
}

/**
 * Recommendations' one consumer group: the listing and shop projection (what may be recommended) and
 * the paid orders the model learns from. One transaction per event, as catalog's reservations: orders of
 * different buyers update the same pair and product rows from several lanes at once, and a batch would
 * hold those locks across events in no common order. `onCommitted` runs after each commit with what the
 * transaction changed (the caches' invalidation).
 */
export function startRecommendationsConsumer(
  bus: EventBus,
  prisma: PrismaClient,
  log: Logger,
  onCommitted: (changed: ModelChange) => Promise<void>,
): Consumer {
  // What each open transaction changed, found by its transaction client (handle receives only that).
  const changedIn = new WeakMap<Prisma.TransactionClient, Set<string> | 'all'>();
  return startConsumer(bus, {
    group: 'recommendations',
    types: CONSUMED_TYPES,
    transaction: async (fn: (tx: Prisma.TransactionClient) => Promise<void>) => {
      const changed = await prisma.$transaction(async (tx) => {
        changedIn.set(tx, new Set());
        await fn(tx);
        return changedIn.get(tx)!;
      });
      await onCommitted(changed === 'all' ? 'all' : [...changed]);
    },
    transactionPerEvent: true,
    handle: async (event, tx) => {
      const change = await handle(event, tx, log);
      const changed = changedIn.get(tx)!;
      if (changed === 'all' || change === 'all') changedIn.set(tx, 'all');
      else for (const productId of change) changed.add(productId);
    },
    log,
  });
}
