import { startSubgraphEvents } from '@mp/events';
import {
  assembleSubgraph,
  loadTypeDefs,
  type Logger,
  type SubgraphInstance,
  type SubgraphRuntime,
} from '@mp/kit';
import { Redis } from 'ioredis';
import { contextParts } from './context.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { startRecommendationsConsumer, type ModelChange } from './events/recommendations.consumer.ts';
import * as recommendations from './repositories/recommendation.repository.ts';
import { resolvers } from './resolvers/index.ts';
import {
  BASE_FEED_SIZE,
  createInProcessBaseFeed,
  createRedisBaseFeed,
  type BaseFeed,
  type BaseFeedOptions,
} from './services/base-feed.ts';
import { createNeighbourhoodCache } from './services/neighbourhoods.ts';
import { createPersonalFeeds } from './services/personal-feeds.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

function openBaseFeed(env: Env, options: BaseFeedOptions): BaseFeed {
  if (!env.REDIS_URL) return createInProcessBaseFeed(options);
  // Fail fast rather than queue: a request never waits long on the cache, it computes instead.
  const redis = new Redis(env.REDIS_URL, {
    maxRetriesPerRequest: 1,
    commandTimeout: 500,
    connectionName: 'recommendations',
  });
  redis.on('error', () => undefined); // reported where a command fails (base-feed.ts); ioredis reconnects
  return createRedisBaseFeed(redis, options);
}

/**
 * Builds the recommendations subgraph (server, database, the base-feed and neighbourhood caches, and
 * the consumer of catalog's, sellers' and orders' events the model learns from) without listening. It
 * produces no events, so it has no outbox relay.
 */
export async function createRecommendationsSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const baseFeed = openBaseFeed(env, {
    compute: () => recommendations.findPopular(db.database.pool, BASE_FEED_SIZE),
    ttlMs: env.BASE_FEED_CACHE_TTL_MS,
    log,
  });
  const neighbourhoods = createNeighbourhoodCache({
    read: (productIds) => recommendations.findNeighbourhoods(db.database.pool, productIds),
    ttlMs: env.NEIGHBOURHOOD_CACHE_TTL_MS,
  });
  const shared = {
    baseFeed,
    neighbourhoods,
    personalFeeds: createPersonalFeeds(db.database.pool, neighbourhoods),
  };
  const onCommitted = async (changed: ModelChange) => {
    if (changed === 'all') neighbourhoods.invalidateAll();
    else neighbourhoods.invalidate(changed);
    await baseFeed.invalidate();
  };
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'recommendations',
    log,
    consumers: [startRecommendationsConsumer(runtime.bus, db.prisma, log, onCommitted)],
  });
  return assembleSubgraph(
    {
      name: 'recommendations',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: () => contextParts(db.database.pool, shared),
      healthCheck: db.database.ping,
    },
    {
      ready: events.ready,
      release: async () => {
        await events.stop();
        await baseFeed.close();
        await db.close();
      },
    },
  );
}
