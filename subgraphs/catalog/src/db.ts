import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type CatalogDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): CatalogDb {
  return openPrismaDatabase(url, 'catalog', (adapter) => new PrismaClient({ adapter }));
}
