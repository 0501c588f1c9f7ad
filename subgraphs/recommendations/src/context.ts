import type { BaseContext, ContextPartsOf } from '@mp/kit';
import { createLoaders, type Loaders } from './loaders.ts';
import type { SqlReader } from './repositories/recommendation.repository.ts';
import type { BaseFeed } from './services/base-feed.ts';
import type { NeighbourhoodCache } from './services/neighbourhoods.ts';
import type { PersonalFeeds } from './services/personal-feeds.ts';

export interface Context extends BaseContext {
  /** The subgraph's pool, for the feeds' prepared reads (repositories/recommendation.repository.ts). */
  db: SqlReader;
  loaders: Loaders;
  /** The cached popular ranking, shared by all requests of this process. */
  baseFeed: BaseFeed;
  /** Signed-in feeds' reads, gathered across the requests of this process into shared statements. */
  personalFeeds: PersonalFeeds;
}

export type ContextParts = ContextPartsOf<Context>;

/** What every request of this process shares: the caches and the reads gathered across requests. */
export interface SharedParts {
  baseFeed: BaseFeed;
  personalFeeds: PersonalFeeds;
  neighbourhoods: NeighbourhoodCache;
}

/** What this subgraph adds to the authenticated base context, fresh for every request. */
export function contextParts(
  db: SqlReader,
  { baseFeed, personalFeeds, neighbourhoods }: SharedParts,
): ContextParts {
  return { db, loaders: createLoaders(db, neighbourhoods), baseFeed, personalFeeds };
}
