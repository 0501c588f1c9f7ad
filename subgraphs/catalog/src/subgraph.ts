import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { seedDemoData } from './seed.ts';
import { createCatalogSubgraph } from './server.ts';

export const catalogSubgraph: SubgraphDefinition<Env> = {
  name: 'catalog',
  migrationsDir: fileURLToPath(new URL('../../../prisma/catalog/migrations', import.meta.url)),
  loadEnv,
  create: createCatalogSubgraph,
  seedDemoData,
};
