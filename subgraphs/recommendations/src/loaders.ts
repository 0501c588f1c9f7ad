import { compositeKey } from '@mp/kit';
import DataLoader from 'dataloader';
import { alsoBoughtList, type Candidate } from './model/feed.ts';
import * as recommendations from './repositories/recommendation.repository.ts';
import type { RelatedCandidate, ShelfCard, SqlReader } from './repositories/recommendation.repository.ts';

export interface AlsoBoughtRequest {
  productId: string;
  first: number;
}

function byProduct(rows: readonly RelatedCandidate[]): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const { forProductId, productId, sellerId } of rows) {
    const list = groups.get(forProductId);
    if (list) list.push({ productId, sellerId });
    else groups.set(forProductId, [{ productId, sellerId }]);
  }
  return groups;
}

/**
 * `Product.alsoBought` of every product in a request from two statements run together: neighbours and
 * shop mates of all products at once. A product asked for with several sizes (aliases) is read once
 * with the largest; shop mates are read with room for the neighbours they may repeat.
 */
function alsoBoughtLoader(db: SqlReader): DataLoader<AlsoBoughtRequest, Candidate[], string> {
  return new DataLoader<AlsoBoughtRequest, Candidate[], string>(
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

/** The shelf cards of every recommended product in a request, in one statement. */
function shelfCardLoader(db: SqlReader): DataLoader<string, ShelfCard | undefined> {
  return new DataLoader(async (productIds) => {
    const cards = new Map(
      (await recommendations.findShelfCards(db, productIds)).map((card) => [card.productId, card]),
    );
    return productIds.map((id) => cards.get(id));
  });
}

/** Fresh per request, so batching never leaks data between callers. */
export function createLoaders(db: SqlReader) {
  return { alsoBought: alsoBoughtLoader(db), shelfCard: shelfCardLoader(db) };
}

export type Loaders = ReturnType<typeof createLoaders>;
