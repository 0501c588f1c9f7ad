import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { createShipmentsSubgraph } from './server.ts';

export const shipmentsSubgraph: SubgraphDefinition<Env> = {
  name: 'shipments',
  migrationsDir: fileURLToPath(new URL('../../../prisma/shipments/migrations', import.meta.url)),
  loadEnv,
  create: createShipmentsSubgraph,
};
