import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type ReviewsDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): ReviewsDb {
  return openPrismaDatabase(url, 'reviews', (adapter) => new PrismaClient({ adapter }));
}
