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
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/** Builds the sellers subgraph (server, database, outbox relay) without listening. */
export async function createSellersSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'sellers',
    log,
    outboxPool: db.database.backgroundPool(),
  });
  return assembleSubgraph(
    {
      name: 'sellers',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: () => contextParts(db.prisma),
      healthCheck: db.database.ping,
    },
    {
      release: async () => {
        await events.stop();
        await db.close();
      },
    },
  );
}
