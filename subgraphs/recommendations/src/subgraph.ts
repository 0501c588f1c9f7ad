import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { seedDemoData } from './seed.ts';
import { createRecommendationsSubgraph } from './server.ts';

export const recommendationsSubgraph: SubgraphDefinition<Env> = {
  name: 'recommendations',
  migrationsDir: fileURLToPath(new URL('../../../prisma/recommendations/migrations', import.meta.url)),
  loadEnv,
  create: createRecommendationsSubgraph,
  seedDemoData,
};
