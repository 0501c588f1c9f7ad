import { createDatabase, type Database } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export interface SellersDb {
  prisma: PrismaClient;
  database: Database;
}

export function openDb(url: string): SellersDb {
  const database = createDatabase(url, 'sellers');
  return { prisma: new PrismaClient({ adapter: database.adapter }), database };
}
