import { keyedLoader } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as users from './repositories/user.repository.ts';

// PostgreSQL text cannot hold NUL: such an id matches no row, and sending it would fail the whole query.
const storable = (id: string) => !id.includes('\u0000');

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(prisma: PrismaClient) {
  return {
    userById: keyedLoader(
      (ids: readonly string[]) => users.findByIds(prisma, ids.filter(storable)),
      (u) => u.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
