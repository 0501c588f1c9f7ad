import { parseEnv, portVar, subgraphEnvShape, type EnvSource, type SubgraphEnv } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({
  ...subgraphEnvShape,
  PORT: portVar(4008),
  /** Redis for the base-feed cache, shared by every replica; unset: an in-process cache. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /**
   * How long a cached base feed may be served at most. Every consumed event invalidates it at once;
   * this bounds staleness where an invalidation cannot reach (another replica's in-process cache).
   * At most 2,000 ms, the freshness target after a new order; 0 turns caching off.
   */
  BASE_FEED_CACHE_TTL_MS: z.coerce.number().int().min(0).max(2_000).default(1_000),
  /**
   * How long this process may keep a product's row of the co-purchase model (services/neighbourhoods.ts)
   * at most. Every consumed event drops the rows it changed at once; this bounds staleness where that
   * cannot reach (another replica). At most 2,000 ms; 0 turns the cache off.
   */
  NEIGHBOURHOOD_CACHE_TTL_MS: z.coerce.number().int().min(0).max(2_000).default(1_000),
});

export type Env = SubgraphEnv & z.output<typeof schema>;

/** The process environment, for the standalone entry point; the only place that reads it. */
export const processEnv = (): EnvSource => process.env;

/** All-in-one mode passes its own source instead of the process environment. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(schema, source, 'recommendations');
}
