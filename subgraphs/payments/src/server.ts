import { startSubgraphEvents } from '@mp/events';
import {
  assembleSubgraph,
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

/** Builds the payments subgraph without listening. */
export async function createPaymentsSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'payments',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [],
  });
  return assembleSubgraph(
    {
      name: 'payments',
      typeDefs,
      resolvers,
      env,
      log,
      createContext: (base) => createContext(base, db.prisma),
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
