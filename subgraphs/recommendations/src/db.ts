import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type RecommendationsDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): RecommendationsDb {
  return openPrismaDatabase(url, 'recommendations', (adapter) => new PrismaClient({ adapter }));
}
