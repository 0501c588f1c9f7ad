import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { seedDemoData } from './seed.ts';
import { createOrdersSubgraph } from './server.ts';

export const ordersSubgraph: SubgraphDefinition<Env> = {
  name: 'orders',
  migrationsDir: fileURLToPath(new URL('../../../prisma/orders/migrations', import.meta.url)),
  loadEnv,
  create: createOrdersSubgraph,
  seedDemoData,
};
