import { groupedLoader, keyedLoader } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as projection from './repositories/catalog-projection.repository.ts';
import * as orders from './repositories/order.repository.ts';

/** Fresh per request, so batching never leaks one caller's data to another. */
export function createLoaders(prisma: PrismaClient) {
  return {
    orderById: keyedLoader(
      (ids: readonly string[]) => orders.findByIds(prisma, ids),
      (o) => o.id,
    ),
    sellerOrderById: keyedLoader(
      (ids: readonly string[]) => orders.findSellerOrdersByIds(prisma, ids),
      (s) => s.id,
    ),
    sellerOrdersByOrderId: groupedLoader(
      (ids: readonly string[]) => orders.findSellerOrdersByOrderIds(prisma, ids),
      (s) => s.orderId,
    ),
    itemsByOrderId: groupedLoader(
      (ids: readonly string[]) => orders.findItemsByOrderIds(prisma, ids),
      (i) => i.orderId,
    ),
    productById: keyedLoader(
      (ids: readonly string[]) => projection.findProducts(prisma, ids),
      (p) => p.productId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
