import { startSubgraphEvents } from '@mp/events';
import {
  assembleSubgraph,
  loadTypeDefs,
  type Logger,
  type SubgraphInstance,
  type SubgraphRuntime,
} from '@mp/kit';
import { createSigner } from './auth/access-token.ts';
import { contextParts } from './context.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { startSellerCreatedConsumer } from './events/seller-created.consumer.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/** Builds the users subgraph (server, database, outbox relay, seller.created consumer) without listening. */
export async function createUsersSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const tokens = {
    signAccessToken: await createSigner(env),
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
  };
  const db = openDb(env.DATABASE_URL);
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'users',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [startSellerCreatedConsumer(runtime.bus, db.prisma, log)],
  });
  return assembleSubgraph(
    {
      name: 'users',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: () => contextParts(db.prisma, tokens),
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
