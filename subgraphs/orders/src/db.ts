import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type OrdersDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): OrdersDb {
  return openPrismaDatabase(url, 'orders', (adapter) => new PrismaClient({ adapter }));
}
