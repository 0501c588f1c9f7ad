// The "base feed": the popular ranking every guest, every buyer without history and every personal
// feed's top-up starts from. It is the same for everyone, so it is computed once and cached: in Redis
// when REDIS_URL is set (shared by every replica), in process otherwise.
//
// Freshness: the consumer calls `invalidate()` after every committed event (a paid order moves
// popularity; a listing, stock or shop change moves availability), so the next read recomputes. Entries
// also expire after BASE_FEED_CACHE_TTL_MS (at most 2 s), which bounds staleness where an invalidation
// cannot reach: another replica's in-process cache, or a Redis that was unreachable for the INCR.
//
// Both caches are generation-checked: an entry remembers the generation it was computed under, and is
// only served while that is still current. A computation that started before an invalidation therefore
// answers the requests that were waiting for it, but is never served after it.
import type { Redis } from 'ioredis';
import type { Logger } from '@mp/kit';
import type { ShelfCandidate } from '../repositories/recommendation.repository.ts';

/** Enough to fill any feed (first ≤ 50) after leaving out what a buyer has and diversifying. */
export const BASE_FEED_SIZE = 200;

export interface BaseFeed {
  /** The popular ranking, at most BASE_FEED_SIZE available products, most popular first. */
  get(): Promise<ShelfCandidate[]>;
  /** What the feed is computed from has changed. Never throws. */
  invalidate(): Promise<void>;
  close(): Promise<void>;
}

export interface BaseFeedOptions {
  compute: () => Promise<ShelfCandidate[]>;
  /** 0: no caching at all. */
  ttlMs: number;
  log: Logger;
}

/** One computation per generation at a time, however many requests miss together. */
function singleFlight(compute: () => Promise<ShelfCandidate[]>) {
  let inFlight: { key: string; promise: Promise<ShelfCandidate[]> } | undefined;
  return (key: string): Promise<ShelfCandidate[]> => {
    if (inFlight?.key === key) return inFlight.promise;
    const promise = compute().finally(() => {
      if (inFlight?.promise === promise) inFlight = undefined;
    });
    inFlight = { key, promise };
    return promise;
  };
}

export function createInProcessBaseFeed({ compute, ttlMs }: BaseFeedOptions): BaseFeed {
  let generation = 0;
  let entry: { generation: number; expiresAt: number; items: ShelfCandidate[] } | undefined;
  const load = singleFlight(async () => {
    const startedUnder = generation;
    const expiresAt = Date.now() + ttlMs;
    const items = await compute();
    if (startedUnder === generation && ttlMs > 0) entry = { generation: startedUnder, expiresAt, items };
    return items;
  });
  return {
    async get() {
      if (entry && entry.generation === generation && entry.expiresAt > Date.now()) return entry.items;
      return load(String(generation));
    },
    invalidate() {
      generation += 1;
      entry = undefined;
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

// v2: items carry their shelf fields. A new layout gets a new key, so no replica reads the other's.
const FEED_KEY = 'recommendations:base-feed:v2';
const GENERATION_KEY = 'recommendations:base-feed:generation';

/** A candidate as a tuple: about half the bytes of an object. */
type StoredItem = [
  productId: string,
  sellerId: string,
  title: string,
  priceMinor: string,
  currencyCode: string,
  sellerName: string,
];

interface StoredFeed {
  generation: number;
  items: StoredItem[];
}

const toStored = (c: ShelfCandidate): StoredItem => [
  c.productId,
  c.sellerId,
  c.title,
  c.priceMinor,
  c.currencyCode,
  c.sellerName,
];
const fromStored = ([productId, sellerId, title, priceMinor, currencyCode, sellerName]: StoredItem) =>
  ({ productId, sellerId, title, priceMinor, currencyCode, sellerName }) satisfies ShelfCandidate;

/**
 * The Redis cache. A miss or an unreachable Redis falls back to computing from the database, so Redis
 * only ever saves work; it is never needed for an answer.
 */
export function createRedisBaseFeed(redis: Redis, { compute, ttlMs, log }: BaseFeedOptions): BaseFeed {
  let lastWarning = 0;
  const warn = (error: unknown, message: string) => {
    // At most one warning a minute: an outage would otherwise log once per request.
    if (Date.now() - lastWarning < 60_000) return;
    lastWarning = Date.now();
    log.warn({ err: error }, message);
  };
  const load = singleFlight(compute);
  /** This process's last computation, so readers that missed together with it do not compute again. */
  let recent: { generation: number; expiresAt: number; items: ShelfCandidate[] } | undefined;
  return {
    async get() {
      let generation: number;
      try {
        const [storedGeneration, raw] = await redis.mget(GENERATION_KEY, FEED_KEY);
        generation = Number(storedGeneration ?? 0);
        if (raw) {
          const stored = JSON.parse(raw) as StoredFeed;
          if (stored.generation === generation) {
            return stored.items.map(fromStored);
          }
        }
      } catch (error) {
        warn(error, 'base feed cache unreachable; computing the feed from the database');
        return load('no-cache');
      }
      if (recent && recent.generation === generation && recent.expiresAt > Date.now()) return recent.items;
      const expiresAt = Date.now() + ttlMs;
      const items = await load(`generation-${generation}`);
      if (ttlMs > 0) {
        recent = { generation, expiresAt, items };
        const stored: StoredFeed = { generation, items: items.map(toStored) };
        await redis
          .set(FEED_KEY, JSON.stringify(stored), 'PX', ttlMs)
          .catch((error: unknown) => warn(error, 'could not store the base feed in Redis'));
      }
      return items;
    },
    async invalidate() {
      await redis
        .incr(GENERATION_KEY)
        .then(() => undefined)
        .catch((error: unknown) =>
          warn(error, 'could not invalidate the base feed in Redis (expires by TTL)'),
        );
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
