import { keyedLoader } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import * as sellers from './repositories/seller.repository.ts';

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(prisma: PrismaClient) {
  return {
    sellerById: keyedLoader(
      (ids: readonly string[]) => sellers.findByIds(prisma, ids),
      (s) => s.id,
    ),
    sellerByOwnerId: keyedLoader(
      (ids: readonly string[]) => sellers.findByOwnerIds(prisma, ids),
      (s) => s.ownerId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
