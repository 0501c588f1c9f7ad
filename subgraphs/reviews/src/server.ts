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
import { startDeliveryConsumer } from './events/delivery.consumer.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the reviews subgraph (server, database, the delivery consumer that decides who may review
 * what, and the outbox relay for the review events) without listening.
 */
export async function createReviewsSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'reviews',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [startDeliveryConsumer(runtime.bus, db.prisma, log)],
  });
  return assembleSubgraph(
    {
      name: 'reviews',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: () => contextParts(db.prisma),
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
