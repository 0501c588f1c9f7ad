import { createDatabase, type Database } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export interface UsersDb {
  prisma: PrismaClient;
  database: Database;
}

export function openDb(url: string): UsersDb {
  const database = createDatabase(url, 'users');
  return { prisma: new PrismaClient({ adapter: database.adapter }), database };
}
