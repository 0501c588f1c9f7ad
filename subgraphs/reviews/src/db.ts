import { createDatabase, type Database } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export interface ReviewsDb {
  prisma: PrismaClient;
  database: Database;
}

export function openDb(url: string): ReviewsDb {
  const database = createDatabase(url, 'reviews');
  return { prisma: new PrismaClient({ adapter: database.adapter }), database };
}
