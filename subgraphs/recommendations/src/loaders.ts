import { compositeKey } from '@mp/kit';
import DataLoader from 'dataloader';
import { alsoBoughtList } from './model/feed.ts';
import * as recommendations from './repositories/recommendation.repository.ts';
import type {
  RelatedCandidate,
  ShelfCandidate,
  SqlReader,
} from './repositories/recommendation.repository.ts';

export interface AlsoBoughtRequest {
  productId: string;
  first: number;
}

function byProduct(rows: readonly RelatedCandidate[]): Map<string, ShelfCandidate[]> {
  const groups = new Map<string, ShelfCandidate[]>();
  for (const { forProductId, ...candidate } of rows) {
    const list = groups.get(forProductId);
    if (list) list.push(candidate);
    else groups.set(forProductId, [candidate]);
  }
  return groups;
}

/**
 * `Product.alsoBought` of every product in a request from two statements run together: neighbours and
 * shop mates of all products at once. A product asked for with several sizes (aliases) is read once
 * with the largest; shop mates are read with room for the neighbours they may repeat.
 */
function alsoBoughtLoader(db: SqlReader): DataLoader<AlsoBoughtRequest, ShelfCandidate[], string> {
  return new DataLoader<AlsoBoughtRequest, ShelfCandidate[], string>(
    async (requests) => {
      const limits = new Map<string, number>();
      for (const { productId, first } of requests) {
        limits.set(productId, Math.max(first, limits.get(productId) ?? 0));
      }
      const wanted = [...limits].map(([productId, limit]) => ({ productId, limit }));
      const [neighbours, mates] = await Promise.all([
        recommendations.findNeighbours(db, wanted),
        recommendations.findSameSeller(
          db,
          wanted.map(({ productId, limit }) => ({ productId, limit: 2 * limit })),
        ),
      ]);
      const neighboursOf = byProduct(neighbours);
      const matesOf = byProduct(mates);
      return requests.map(({ productId, first }) =>
        alsoBoughtList({
          productId,
          neighbours: neighboursOf.get(productId) ?? [],
          sameSeller: matesOf.get(productId) ?? [],
          first,
        }),
      );
    },
    { cacheKeyFn: ({ productId, first }) => compositeKey(productId, first) },
  );
}

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(db: SqlReader) {
  return { alsoBought: alsoBoughtLoader(db) };
}

export type Loaders = ReturnType<typeof createLoaders>;
