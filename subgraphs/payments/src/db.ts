import { openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type PaymentsDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): PaymentsDb {
  return openPrismaDatabase(url, 'payments', (adapter) => new PrismaClient({ adapter }));
}
