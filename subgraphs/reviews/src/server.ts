import { assembleSubgraph, loadTypeDefs, type Logger, type SubgraphInstance } from '@mp/kit';
import { createContext } from './context.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the reviews subgraph (server and database) without listening. Reviews neither emits nor consumes
 * events yet, so it takes no runtime (bus); the outbox relay and consumers start here once the
 * review-writing issue adds them.
 */
export async function createReviewsSubgraph(env: Env, log: Logger): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  return assembleSubgraph(
    {
      name: 'reviews',
      typeDefs,
      resolvers,
      env,
      log,
      createContext: (base) => createContext(base, db.prisma),
      healthCheck: db.database.ping,
    },
    { release: () => db.close() },
  );
}
