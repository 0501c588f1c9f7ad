import { startConsumer, type Consumer, type EventBus } from '@mp/events';
import type { Logger } from '@mp/kit';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { grantSellerRole } from '../services/seller-role.service.ts';

/** `seller.created` → the owner becomes a SELLER of that shop (idempotent through the inbox). */
export function startSellerCreatedConsumer(bus: EventBus, prisma: PrismaClient, log: Logger): Consumer {
  return startConsumer(bus, {
    group: 'users',
    types: ['seller.created'],
    transaction: (fn: (tx: Prisma.TransactionClient) => Promise<void>) => prisma.$transaction(fn),
    handle: (event, tx) => grantSellerRole(tx, event.data),
    log,
  });
}
