import { keyedLoader } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as users from './repositories/user.repository.ts';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(prisma: PrismaClient) {
  return {
    userById: keyedLoader(
      (ids: readonly string[]) => users.findByIds(prisma, ids),
      (u) => u.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
