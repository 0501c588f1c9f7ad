import { groupedLoader, keyedLoader } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as events from './repositories/shipment-event.repository.ts';
import * as shipments from './repositories/shipment.repository.ts';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(prisma: PrismaClient) {
  return {
    shipmentById: keyedLoader(
      (ids: readonly string[]) => shipments.findByIds(prisma, ids),
      (s) => s.id,
    ),
    shipmentsByOrderId: groupedLoader(
      (orderIds: readonly string[]) => shipments.findByOrderIds(prisma, orderIds),
      (s) => s.orderId,
    ),
    shipmentBySellerOrderId: keyedLoader(
      (sellerOrderIds: readonly string[]) => shipments.findBySellerOrderIds(prisma, sellerOrderIds),
      (s) => s.sellerOrderId,
    ),
    eventsByShipmentId: groupedLoader(
      (shipmentIds: readonly string[]) => events.findByShipmentIds(prisma, shipmentIds),
      (e) => e.shipmentId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
