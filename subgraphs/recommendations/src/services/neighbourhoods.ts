// The model's rows the personal feeds score (repositories/recommendation.repository.ts,
// findNeighbourhoods), kept in process per product. A row is the same for every buyer who has the
// product, so a feed reads only the buyer's own products from the database while the rows of popular
// products stay here. On the demo data that row statement costs PostgreSQL about as much as a whole
// feed did; the buyer's products alone cost a fraction.
//
// Freshness, as for the base feed (base-feed.ts): the event consumer reports which products an event
// changed (their own rows and their place in others'), and every row those touch is dropped at once,
// found through an index of which rows list which product. Rows also expire after
// NEIGHBOURHOOD_CACHE_TTL_MS (at most 2 s), which bounds staleness where an invalidation cannot reach:
// another replica's process. A read that started before an invalidation answers the requests that were
// waiting for it, but is not kept.
import DataLoader from 'dataloader';
import type { Neighbourhood } from '../repositories/recommendation.repository.ts';
import { perTurn } from './per-turn.ts';

/** Bounds the memory: when full, the cache starts over (most rows are read again within a request). */
export const MAX_CACHED_NEIGHBOURHOODS = 10_000;

/** Bounds one statement's size; more misses in one turn go out in several. */
const MAX_ROWS_PER_STATEMENT = 500;

export interface NeighbourhoodCache {
  /** The rows of these products, in their order: cached, or read together with every other miss. */
  get(productIds: readonly string[]): Promise<Neighbourhood[]>;
  /** These products changed: drop their rows and every row that lists one of them. */
  invalidate(productIds: Iterable<string>): void;
  /** Something every row may show changed (a shop's name or status). */
  invalidateAll(): void;
}

export interface NeighbourhoodCacheOptions {
  read: (productIds: readonly string[]) => Promise<Map<string, Neighbourhood>>;
  /** 0: nothing is kept; every get reads. */
  ttlMs: number;
  maxEntries?: number;
  now?: () => number;
}

export function createNeighbourhoodCache({
  read,
  ttlMs,
  maxEntries = MAX_CACHED_NEIGHBOURHOODS,
  now = Date.now,
}: NeighbourhoodCacheOptions): NeighbourhoodCache {
  const entries = new Map<string, { row: Neighbourhood; expiresAt: number }>();
  /** Product j → the products whose cached rows list j. */
  const listedIn = new Map<string, Set<string>>();
  /** Moves on every invalidation: a read that saw it move keeps nothing. */
  let generation = 0;

  const drop = (productId: string) => {
    const entry = entries.get(productId);
    if (!entry) return;
    entries.delete(productId);
    for (const { productId: listed } of entry.row.neighbours) {
      const rows = listedIn.get(listed);
      rows?.delete(productId);
      if (rows?.size === 0) listedIn.delete(listed);
    }
  };
  const clear = () => {
    entries.clear();
    listedIn.clear();
  };
  const keep = (productId: string, row: Neighbourhood, expiresAt: number) => {
    drop(productId);
    if (entries.size >= maxEntries) clear();
    entries.set(productId, { row, expiresAt });
    for (const { productId: listed } of row.neighbours) {
      const rows = listedIn.get(listed);
      if (rows) rows.add(productId);
      else listedIn.set(listed, new Set([productId]));
    }
  };

  // One per process, like the personal feeds' reads: the misses of all requests in one turn.
  const misses = new DataLoader<string, Neighbourhood>(async (productIds) => {
    const startedUnder = generation;
    const expiresAt = now() + ttlMs;
    const rows = await read([...new Set(productIds)]);
    if (ttlMs > 0 && startedUnder === generation) {
      for (const [productId, row] of rows) keep(productId, row, expiresAt);
    }
    return productIds.map((id) => rows.get(id) ?? new Error(`no neighbourhood read for ${id}`));
  }, perTurn(MAX_ROWS_PER_STATEMENT));

  return {
    async get(productIds) {
      const at = now();
      const rows: (Neighbourhood | undefined)[] = productIds.map((id) => {
        const entry = entries.get(id);
        if (entry && entry.expiresAt > at) return entry.row;
        if (entry) drop(id);
        return undefined;
      });
      const missing = productIds.filter((_, i) => rows[i] === undefined);
      if (missing.length === 0) return rows as Neighbourhood[];
      const read = await misses.loadMany(missing);
      let next = 0;
      return rows.map((row) => {
        if (row) return row;
        const loaded = read[next++]!;
        if (loaded instanceof Error) throw loaded;
        return loaded;
      });
    },
    invalidate(productIds) {
      generation += 1;
      for (const productId of productIds) {
        drop(productId);
        for (const listing of [...(listedIn.get(productId) ?? [])]) drop(listing);
      }
    },
    invalidateAll() {
      generation += 1;
      clear();
    },
  };
}
