import { compositeKey } from '@mp/kit';
import DataLoader from 'dataloader';
import { alsoBoughtList } from './model/feed.ts';
import { neighbourScores } from './model/neighbour-scores.ts';
import * as recommendations from './repositories/recommendation.repository.ts';
import type {
  RelatedCandidate,
  ShelfCandidate,
  SqlReader,
} from './repositories/recommendation.repository.ts';
import type { NeighbourhoodCache } from './services/neighbourhoods.ts';

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
 * `Product.alsoBought` of every product in a request from two reads run together: the model's rows of
 * all products (the neighbourhood cache; one statement for those it does not hold) and the shop mates
 * of all products (one statement). A product asked for with several sizes (aliases) is read once with
 * the largest; shop mates are read with room for the neighbours they may repeat.
 */
function alsoBoughtLoader(
  db: SqlReader,
  neighbourhoods: NeighbourhoodCache,
): DataLoader<AlsoBoughtRequest, ShelfCandidate[], string> {
  return new DataLoader<AlsoBoughtRequest, ShelfCandidate[], string>(
    async (requests) => {
      const limits = new Map<string, number>();
      for (const { productId, first } of requests) {
        limits.set(productId, Math.max(first, limits.get(productId) ?? 0));
      }
      const productIds = [...limits.keys()];
      const [rows, mates] = await Promise.all([
        neighbourhoods.get(productIds),
        recommendations.findSameSeller(
          db,
          productIds.map((productId) => ({ productId, limit: 2 * limits.get(productId)! })),
        ),
      ]);
      const neighboursOf = new Map(
        productIds.map((productId, i) => [
          productId,
          neighbourScores({ rows: [rows[i]!], exclude: new Set([productId]), limit: limits.get(productId)! }),
        ]),
      );
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
export function createLoaders(db: SqlReader, neighbourhoods: NeighbourhoodCache) {
  return { alsoBought: alsoBoughtLoader(db, neighbourhoods) };
}

export type Loaders = ReturnType<typeof createLoaders>;
