import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import * as projection from '../repositories/catalog-projection.repository.ts';
import * as saga from '../services/order-saga.service.ts';

/**
 * Orders' one consumer group: the product and shop projection checkout prices from, and the saga
 * replies that move orders. Each effect commits with its inbox row, so redeliveries are no-ops.
 */
export function startOrdersConsumer(bus: EventBus, prisma: PrismaClient, log: Logger): Consumer {
  return startConsumer(bus, {
    group: 'orders',
    types: [
      'seller.created',
      'seller.status_changed',
      'product.created',
      'product.updated',
      'stock.rejected',
      'payment.authorized',
      'payment.failed',
      'shipment.shipped',
      'shipment.delivered',
    ],
    transaction: (fn: (tx: Prisma.TransactionClient) => Promise<void>) => prisma.$transaction(fn),
    handle: async (event, tx) => {
      switch (event.type) {
        case 'seller.created':
        case 'seller.status_changed':
          return projection.upsertSellerStatus(tx, event.data.sellerId, event.data.status);
        case 'product.created':
        case 'product.updated': {
          // Stock is not copied: catalog reserves it authoritatively, and checkout never pre-checks it.
          const { productId, sellerId, title, price } = event.data;
          return projection.upsertProduct(tx, {
            productId,
            sellerId,
            title,
            priceMinor: BigInt(price.amountMinor),
            currencyCode: price.currencyCode,
          });
        }
        case 'stock.rejected':
          return saga.onStockRejected(tx, event.data);
        case 'payment.failed':
          return saga.onPaymentFailed(tx, event.data);
        case 'payment.authorized':
          return saga.onPaymentAuthorized(tx, event.data, log);
        case 'shipment.shipped':
          return saga.onShipmentShipped(tx, event.data, log);
        case 'shipment.delivered':
          return saga.onShipmentDelivered(tx, event.data);
      }
    },
    log,
  });
}
