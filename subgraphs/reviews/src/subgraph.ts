import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { seedDemoData } from './seed.ts';
import { createReviewsSubgraph } from './server.ts';

export const reviewsSubgraph: SubgraphDefinition<Env> = {
  name: 'reviews',
  migrationsDir: fileURLToPath(new URL('../../../prisma/reviews/migrations', import.meta.url)),
  loadEnv,
  create: createReviewsSubgraph,
  seedDemoData,
};
