import { createDatabase, type Database } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export interface CatalogDb {
  prisma: PrismaClient;
  database: Database;
}

export function openDb(url: string): CatalogDb {
  const database = createDatabase(url, 'catalog');
  return { prisma: new PrismaClient({ adapter: database.adapter }), database };
}
