import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { cancelPendingShipments, createShipmentsForOrder } from '../services/fulfilment.service.ts';

/**
 * Shipments' one consumer (group `shipments`): a confirmed order gets its shipments, a cancelled one
 * loses those not shipped yet. Both events travel on the `orders.order` topic keyed by order id, so one
 * order's confirmation is always handled before its cancellation. The inbox (same transaction) makes
 * redeliveries no-ops.
 */
export function startOrderEventsConsumer(bus: EventBus, prisma: PrismaClient, log: Logger): Consumer {
  return startConsumer(bus, {
    group: 'shipments',
    types: ['order.confirmed', 'order.cancelled'],
    transaction: (fn: (tx: Prisma.TransactionClient) => Promise<void>) => prisma.$transaction(fn),
    handle: async (event, tx) => {
      switch (event.type) {
        case 'order.confirmed':
          await createShipmentsForOrder(tx, event.data, new Date(event.occurredAt));
          return;
        case 'order.cancelled':
          await cancelPendingShipments(tx, event.data);
          return;
      }
    },
    log,
  });
}
