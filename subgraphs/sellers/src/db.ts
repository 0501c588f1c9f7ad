import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type SellersDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): SellersDb {
  return openPrismaDatabase(url, 'sellers', (adapter) => new PrismaClient({ adapter }));
}
