import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type ShipmentsDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): ShipmentsDb {
  return openPrismaDatabase(url, 'shipments', (adapter) => new PrismaClient({ adapter }));
}
