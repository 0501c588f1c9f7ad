import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type UsersDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): UsersDb {
  return openPrismaDatabase(url, 'users', (adapter) => new PrismaClient({ adapter }));
}
