import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@mp/kit';
import { loadEnv, type Env } from './env.ts';
import { seedDemoData } from './seed.ts';
import { createUsersSubgraph } from './server.ts';

export const usersSubgraph: SubgraphDefinition<Env> = {
  name: 'users',
  migrationsDir: fileURLToPath(new URL('../../../prisma/users/migrations', import.meta.url)),
  loadEnv,
  create: createUsersSubgraph,
  seedDemoData,
};
