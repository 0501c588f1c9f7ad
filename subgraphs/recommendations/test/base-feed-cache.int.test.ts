import { createLogger } from '@mp/kit';
import { startRedisServer, startTestSubgraph, type TestRedis, type TestSubgraph } from '@mp/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { ShelfCandidate as Candidate } from '../src/repositories/recommendation.repository.ts';
import {
  createInProcessBaseFeed,
  createRedisBaseFeed,
  type BaseFeed,
  type BaseFeedOptions,
} from '../src/services/base-feed.ts';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import { alsoBoughtOf, buyer, marketOf, newId, recommended } from './fixtures.ts';

const log = createLogger('recommendations', 'silent');
let redisServer: TestRedis;
const clients: Redis[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await redisServer?.stop();
});

/** A cached candidate, shelf fields included (the Redis cache must keep them all). */
const item = (productId: string, sellerId: string): Candidate => ({
  productId,
  sellerId,
  title: `Title of ${productId}`,
  priceMinor: '1999',
  currencyCode: 'EUR',
  sellerName: `Shop ${sellerId}`,
});

/** A computation that counts its calls and returns what the "database" holds when it runs. */
function fakeDatabase() {
  const state = { items: [item('p1', 's1')], calls: 0 };
  let gate: Promise<void> | undefined;
  return {
    state,
    /** Holds the next computations until the returned function is called. */
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = undefined;
        release();
      };
    },
    compute: async (): Promise<Candidate[]> => {
      state.calls += 1;
      const items = [...state.items];
      await gate;
      return items;
    },
  };
}

function newRedisClient(db = 0): Redis {
  const client = new Redis(redisServer.url, { maxRetriesPerRequest: 1, commandTimeout: 500, db });
  clients.push(client);
  return client;
}

let namespace = 0;

const caches: [string, (options: BaseFeedOptions) => BaseFeed][] = [
  ['in process', (options) => createInProcessBaseFeed(options)],
  [
    'Redis',
    (options) => {
      // One Redis database per cache under test, so tests do not share keys.
      namespace = (namespace % 15) + 1;
      const client = newRedisClient(namespace);
      void client.flushdb(); // queued before the cache's first command
      return createRedisBaseFeed(client, options);
    },
  ],
];

describe.each(caches)('the base-feed cache (%s)', (_name, create) => {
  it('computes once while fresh, and again after an invalidation', async () => {
    const db = fakeDatabase();
    const cache = create({ compute: db.compute, ttlMs: 2_000, log });
    expect(await cache.get()).toEqual([item('p1', 's1')]);
    await cache.get();
    await cache.get();
    expect(db.state.calls).toBe(1);
    db.state.items = [item('p2', 's2')];
    await cache.invalidate();
    expect(await cache.get()).toEqual([item('p2', 's2')]);
    expect(db.state.calls).toBe(2);
  });

  it('expires after its TTL even without an invalidation', async () => {
    const db = fakeDatabase();
    const cache = create({ compute: db.compute, ttlMs: 150, log });
    await cache.get();
    db.state.items = [item('p3', 's1')];
    expect(await cache.get()).toEqual([item('p1', 's1')]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await cache.get()).toEqual([item('p3', 's1')]);
  });

  it('never serves a feed computed before an invalidation afterwards', async () => {
    const db = fakeDatabase();
    const cache = create({ compute: db.compute, ttlMs: 2_000, log });
    const release = db.hold();
    const early = cache.get(); // reads the old state, then waits
    await vi.waitFor(() => expect(db.state.calls).toBe(1));
    db.state.items = [item('after', 's1')];
    await cache.invalidate();
    release();
    expect(await early).toEqual([item('p1', 's1')]);
    expect(await cache.get()).toEqual([item('after', 's1')]);
  });

  it('computes once for many requests that miss together', async () => {
    const db = fakeDatabase();
    const cache = create({ compute: db.compute, ttlMs: 2_000, log });
    const release = db.hold();
    const waiting = Array.from({ length: 20 }, () => cache.get());
    await vi.waitFor(() => expect(db.state.calls).toBe(1));
    release();
    await Promise.all(waiting);
    expect(db.state.calls).toBe(1);
  });

  it('does not cache with a TTL of 0', async () => {
    const db = fakeDatabase();
    const cache = create({ compute: db.compute, ttlMs: 0, log });
    await cache.get();
    await cache.get();
    expect(db.state.calls).toBe(2);
  });
});

describe('the Redis base-feed cache across replicas', () => {
  it('is shared, and one replica’s invalidation reaches the others', async () => {
    const db = fakeDatabase();
    const [a, b] = [newRedisClient(), newRedisClient()];
    await a.flushdb();
    const replicaA = createRedisBaseFeed(a, { compute: db.compute, ttlMs: 2_000, log });
    const replicaB = createRedisBaseFeed(b, { compute: db.compute, ttlMs: 2_000, log });
    await replicaA.get();
    expect(await replicaB.get()).toEqual([item('p1', 's1')]);
    expect(db.state.calls).toBe(1);
    db.state.items = [item('p9', 's9')];
    await replicaA.invalidate(); // replica A's consumer committed an order
    expect(await replicaB.get()).toEqual([item('p9', 's9')]);
  });

  it('answers from the database when Redis is unreachable', async () => {
    const db = fakeDatabase();
    const dead = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      commandTimeout: 200,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    dead.on('error', () => undefined);
    const cache = createRedisBaseFeed(dead, { compute: db.compute, ttlMs: 2_000, log });
    expect(await cache.get()).toEqual([item('p1', 's1')]);
    await expect(cache.invalidate()).resolves.toBeUndefined();
    dead.disconnect();
  });
});

describe('the subgraph with REDIS_URL', () => {
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    subgraph = await startTestSubgraph(recommendationsSubgraph, inject('postgresAdminUrl'), {
      env: { REDIS_URL: redisServer.url, BASE_FEED_CACHE_TTL_MS: '2000' },
    });
  });

  afterAll(async () => {
    await subgraph?.stop();
  });

  it('serves new orders in the popular feed at once, though the cached feed would live 2 s', async () => {
    const market = marketOf(subgraph);
    const shop = await market.shop();
    const [first, second] = await market.products(shop, 2);
    await market.pay(newId('user'), [first!]);
    expect((await recommended(subgraph, 2)).slice(0, 1)).toEqual([first]);
    for (let i = 0; i < 2; i += 1) await market.pay(newId('user'), [second!]);
    expect((await recommended(subgraph, 2)).slice(0, 1)).toEqual([second]);
    expect(await recommended(subgraph, 2, buyer())).toEqual(await recommended(subgraph, 2));
    await market.setStock(second!, shop, 0);
    expect(await recommended(subgraph, 2)).not.toContain(second);
    expect(await alsoBoughtOf(subgraph, [first!])).toEqual([[]]);
    const keys = await newRedisClient().keys('recommendations:*');
    expect(keys.sort()).toEqual(['recommendations:base-feed:generation', 'recommendations:base-feed:v2']);
  });
});
