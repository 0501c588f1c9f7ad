import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { createPaymentsSubgraph } from './server.ts';

export const paymentsSubgraph: SubgraphDefinition<Env> = {
  name: 'payments',
  migrationsDir: fileURLToPath(new URL('../../../prisma/payments/migrations', import.meta.url)),
  loadEnv,
  create: createPaymentsSubgraph,
};
