import { keyedLoader } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as payments from './repositories/payment.repository.ts';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(prisma: PrismaClient) {
  return {
    paymentById: keyedLoader(
      (ids: readonly string[]) => payments.findByIds(prisma, ids),
      (p) => p.id,
    ),
    paymentByOrderId: keyedLoader(
      (orderIds: readonly string[]) => payments.findByOrderIds(prisma, orderIds),
      (p) => p.orderId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
