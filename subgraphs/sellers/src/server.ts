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
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/** Builds the sellers subgraph (server, database, outbox relay) without listening. */
export async function createSellersSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const relay = startOutboxRelay({
    pool: db.database.backgroundPool(),
    bus: runtime.bus,
    source: 'sellers',
    log,
  });
  const dispose = async () => {
    await relay.stop();
    await db.prisma.$disconnect();
    await db.database.close();
  };
  try {
    const server = await createSubgraphServer({
      name: 'sellers',
      typeDefs,
      resolvers,
      env,
      log,
      createContext: (base) => createContext(base, db.prisma),
      healthCheck: db.database.ping,
    });
    return { server, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
