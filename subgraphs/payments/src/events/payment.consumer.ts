import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import * as saga from '../services/payment-saga.service.ts';

const TYPES = [
  'order.placed',
  'stock.reserved',
  'stock.rejected',
  'order.cancelled',
  'shipment.shipped',
] as const;

/**
 * Payments' one consumer (group `payments`): the saga events that create, authorize, capture or call
 * off an order's payment. Handlers only write rows (see payment-saga.service.ts); after each committed
 * batch `onCommitted` wakes the provider-call worker, so a requested call is made without waiting for
 * its next poll.
 */
export function startPaymentConsumer(
  bus: EventBus,
  prisma: PrismaClient,
  log: Logger,
  onCommitted: () => void,
): Consumer {
  return startConsumer(bus, {
    group: 'payments',
    types: TYPES,
    transaction: async (fn: (tx: Prisma.TransactionClient) => Promise<void>) => {
      await prisma.$transaction(fn);
      onCommitted();
    },
    handle: async (event, tx) => {
      switch (event.type) {
        case 'order.placed':
          return saga.recordOrderPlaced(tx, event.data);
        case 'stock.reserved':
          return saga.recordStockReserved(tx, event.data.orderId);
        case 'stock.rejected':
        case 'order.cancelled':
          return saga.callOff(tx, event.data.orderId);
        case 'shipment.shipped':
          return saga.requestCapture(tx, event.data.orderId, log);
      }
    },
    log,
  });
}
