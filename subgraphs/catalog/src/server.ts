import { startOutboxRelay } from '@mp/events';
import {
  createSubgraphServer,
  loadTypeDefs,
  type Logger,
  type SubgraphInstance,
  type SubgraphRuntime,
} from '@mp/kit';
import { createContext } from './context.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { startSellerStateConsumer } from './events/seller-state.consumer.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the catalog subgraph (server, database, seller-status consumer, outbox relay for the product
 * events) without listening.
 */
export async function createCatalogSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const consumer = startSellerStateConsumer(runtime.bus, db.prisma, log);
  const relay = startOutboxRelay({
    pool: db.database.backgroundPool(),
    bus: runtime.bus,
    source: 'catalog',
    log,
  });
  const dispose = async () => {
    await relay.stop();
    await consumer.stop();
    await db.prisma.$disconnect();
    await db.database.close();
  };
  try {
    const server = await createSubgraphServer({
      name: 'catalog',
      typeDefs,
      resolvers,
      env,
      log,
      createContext: (base) => createContext(base, db.prisma),
      healthCheck: db.database.ping,
    });
    return { server, ready: consumer.ready, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
