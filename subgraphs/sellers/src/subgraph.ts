import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { seedDemoData } from './seed.ts';
import { createSellersSubgraph } from './server.ts';

export const sellersSubgraph: SubgraphDefinition<Env> = {
  name: 'sellers',
  migrationsDir: fileURLToPath(new URL('../../../prisma/sellers/migrations', import.meta.url)),
  loadEnv,
  create: createSellersSubgraph,
  seedDemoData,
};
