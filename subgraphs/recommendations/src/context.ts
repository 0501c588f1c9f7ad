import type { BaseContext } from '@mp/kit';
import { createLoaders, type Loaders } from './loaders.ts';
import type { SqlReader } from './repositories/recommendation.repository.ts';
import type { BaseFeed } from './services/base-feed.ts';

export interface Context extends BaseContext {
  /** The subgraph's pool, for the feeds' prepared reads (repositories/recommendation.repository.ts). */
  db: SqlReader;
  loaders: Loaders;
  /** The cached popular ranking, shared by all requests of this process. */
  baseFeed: BaseFeed;
}

export type ContextParts = Omit<Context, keyof BaseContext>;

/** What this subgraph adds to the authenticated base context, fresh for every request. */
export function contextParts(db: SqlReader, baseFeed: BaseFeed): ContextParts {
  return { db, loaders: createLoaders(db), baseFeed };
}
