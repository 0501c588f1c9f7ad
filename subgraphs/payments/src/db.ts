import { createDatabase, openPrismaDatabase, type PrismaDatabase } from '@mp/db';
import { PrismaClient } from './generated/prisma/client.ts';

export type PaymentsDb = PrismaDatabase<PrismaClient>;

export function openDb(url: string): PaymentsDb {
  return openPrismaDatabase(url, 'payments', (adapter) => new PrismaClient({ adapter }));
}

/**
 * The provider-call worker's own small pool, counted apart (`db_statements_total{database=
 * "payments-worker"}`): its polling never competes with requests for connections, and statement counts
 * of `payments` measure request work only.
 */
export function openWorkerDb(url: string): PaymentsDb {
  const database = createDatabase(url, 'payments-worker', 4);
  const prisma = new PrismaClient({ adapter: database.adapter });
  return {
    prisma,
    database,
    async close() {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
