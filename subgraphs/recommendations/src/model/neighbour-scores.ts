// Neighbours from the model's rows, read (and cached) per product: the scoring of model/co-purchase.ts
// for both `alsoBought` (one product's row) and a buyer's personal neighbours (the rows of what they
// bought, summed). The reference model (model/reference-model.ts) computes the same from its own
// counts; test/model-parity.int.test.ts holds the two together.
import { OWNED_FOR_NEIGHBOURS, roundScore } from './co-purchase.ts';
import type { Candidate } from './feed.ts';

/** Product j in product i's row: c(i, j), c(j), and j as a candidate when it may be recommended. */
export interface NeighbourCounts<C extends Candidate> {
  productId: string;
  pairBuyers: number;
  /** null: j has no counts, so it cannot be scored. */
  buyers: number | null;
  /** null: j may not be recommended right now. */
  candidate: C | null;
}

/** Product i's row of the model: c(i) and its neighbours. */
export interface ProductRow<C extends Candidate> {
  buyers: number;
  neighbours: readonly NeighbourCounts<C>[];
}

/** The products whose rows a buyer's neighbours come from: their most recent purchases. */
export function productsForNeighbours(ownedByRecency: readonly string[]): string[] {
  return ownedByRecency.slice(0, OWNED_FOR_NEIGHBOURS);
}

/**
 * The products j listed in the rows of products i that may be recommended and are not in `exclude`,
 * scored Σᵢ c(i, j) / √(c(i) c(j)); best first (rounded scores, then id), at most `limit`. For a
 * buyer, `rows` are those of their recent products (productsForNeighbours) and `exclude` what they
 * have; for `alsoBought`, one product's row.
 */
export function neighbourScores<C extends Candidate>(input: {
  rows: readonly ProductRow<C>[];
  exclude: ReadonlySet<string>;
  limit: number;
}): (C & { score: number })[] {
  const partial = new Map<string, { candidate: C; buyers: number; sum: number }>();
  for (const row of input.rows) {
    if (row.buyers <= 0) continue;
    const rootOfOwn = Math.sqrt(row.buyers);
    for (const { productId, pairBuyers, buyers, candidate } of row.neighbours) {
      if (candidate === null || buyers === null || buyers <= 0 || input.exclude.has(productId)) continue;
      const entry = partial.get(productId);
      if (entry) entry.sum += pairBuyers / rootOfOwn;
      else partial.set(productId, { candidate, buyers, sum: pairBuyers / rootOfOwn });
    }
  }
  const scored = [...partial.values()].map(({ candidate, buyers, sum }) => ({
    candidate,
    score: sum / Math.sqrt(buyers),
    rounded: roundScore(sum / Math.sqrt(buyers)),
  }));
  scored.sort((a, b) => b.rounded - a.rounded || (a.candidate.productId < b.candidate.productId ? -1 : 1));
  return scored.slice(0, input.limit).map(({ candidate, score }) => ({ ...candidate, score }));
}
