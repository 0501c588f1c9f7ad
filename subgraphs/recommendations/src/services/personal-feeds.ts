// The personal feeds' reads. A signed-in feed needs the buyer's products, read fresh for every request,
// and the model's rows of their most recent ones, which are the same for every buyer and come from the
// neighbourhood cache (neighbourhoods.ts), scored by model/neighbour-scores.ts.
//
// The buyers' products are read together across requests: on the demo data most of a statement's cost
// is fixed (the round trip, starting the plan), so the reads that arrive in the same turn of the event
// loop go out as one statement. This is batching, not caching: every request gets its own slot, read
// from the database as it is when the statement runs, even when the same buyer asks twice. It waits for
// nothing but the end of the current turn (setImmediate), so a lone request is not delayed.
import DataLoader from 'dataloader';
import { neighbourScores, productsForNeighbours } from '../model/neighbour-scores.ts';
import * as recommendations from '../repositories/recommendation.repository.ts';
import type { ShelfCandidate, SqlReader } from '../repositories/recommendation.repository.ts';
import type { NeighbourhoodCache } from './neighbourhoods.ts';
import { perTurn } from './per-turn.ts';

/** Bounds one statement's size; more requests in one turn go out in several. */
export const MAX_FEEDS_PER_STATEMENT = 32;

/** One buyer's personal feed to read: its neighbours, at most `limit`. */
export interface PersonalRequest {
  buyerId: string;
  limit: number;
}

export interface ScoredCandidate extends ShelfCandidate {
  score: number;
}

/** A buyer's neighbours (best first) and every product the buyer has, most recently bought first. */
export interface PersonalRows {
  neighbours: ScoredCandidate[];
  owned: string[];
}

export interface PersonalFeeds {
  read(request: PersonalRequest): Promise<PersonalRows>;
}

/** One per process (not per request, unlike loaders.ts): it gathers the reads of all requests. */
export function createPersonalFeeds(db: SqlReader, neighbourhoods: NeighbourhoodCache): PersonalFeeds {
  const ownedBy = new DataLoader<string, string[]>(
    (buyerIds) => recommendations.findHoldings(db, buyerIds),
    perTurn(MAX_FEEDS_PER_STATEMENT),
  );
  return {
    async read({ buyerId, limit }) {
      const owned = await ownedBy.load(buyerId);
      const rows = await neighbourhoods.get(productsForNeighbours(owned));
      return { owned, neighbours: neighbourScores({ rows, exclude: new Set(owned), limit }) };
    },
  };
}
