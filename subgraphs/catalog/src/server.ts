import { startSubgraphEvents } from '@mp/events';
import {
  assembleSubgraph,
  loadTypeDefs,
  type Logger,
  type SubgraphInstance,
  type SubgraphRuntime,
} from '@mp/kit';
import { contextParts } from './context.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { startCatalogConsumer } from './events/catalog.consumer.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the catalog subgraph (server, database, the consumer of seller and order events, the outbox
 * relay of product and stock events) without listening.
 */
export async function createCatalogSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'catalog',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [startCatalogConsumer(runtime.bus, db.prisma, log)],
  });
  return assembleSubgraph(
    {
      name: 'catalog',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: (base) => contextParts(base, db.prisma),
      healthCheck: db.database.ping,
    },
    {
      ready: events.ready,
      release: async () => {
        await events.stop();
        await db.close();
      },
    },
  );
}
