import { extendContext, type BaseContext } from '@mp/kit';
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

export function createContext(base: BaseContext, db: SqlReader, baseFeed: BaseFeed): Context {
  return extendContext(base, { db, loaders: createLoaders(db), baseFeed });
}
