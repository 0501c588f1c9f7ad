import type { PrismaPg } from '@prisma/adapter-pg';
import { createDatabase, type Database } from './pool.ts';

/** A subgraph's Prisma client on its counted pool, closed together. */
export interface PrismaDatabase<P> {
  prisma: P;
  database: Database;
  /** Disconnects the client, then ends the pools. */
  close(): Promise<void>;
}

/**
 * Opens the subgraph database `name` at `url`: a counted pool (createDatabase) and a Prisma client on
 * it through the driver adapter. `createClient` is the subgraph's own generated PrismaClient.
 */
export function openPrismaDatabase<P extends { $disconnect(): Promise<void> }>(
  url: string,
  name: string,
  createClient: (adapter: PrismaPg) => P,
): PrismaDatabase<P> {
  const database = createDatabase(url, name);
  const prisma = createClient(database.adapter);
  return {
    prisma,
    database,
    async close() {
      await prisma.$disconnect();
      await database.close();
    },
  };
}
