// The personal feeds' reads, gathered across requests. Every signed-in feed needs one statement
// (repositories/recommendation.repository.ts), and on the demo data its fixed cost (the round trip,
// starting the plan's nodes) is most of it: PostgreSQL spends ~1 ms of CPU on a statement for one feed,
// ~0.4 ms a feed in a statement for four, ~0.33 ms in one for eight. So the reads that arrive in the same
// turn of the event loop go out as one statement.
//
// This is batching, not caching: every request still gets its own slot in the statement, computed from
// the database as it is when the statement runs, even when the same buyer asks twice. It waits for
// nothing but the end of the current turn (setImmediate), so a lone request is not delayed.
import DataLoader from 'dataloader';
import * as recommendations from '../repositories/recommendation.repository.ts';
import type { PersonalRequest, PersonalRows, SqlReader } from '../repositories/recommendation.repository.ts';

/** Bounds one statement's size; more requests in one turn go out in several. */
export const MAX_FEEDS_PER_STATEMENT = 32;

export type PersonalFeeds = DataLoader<PersonalRequest, PersonalRows>;

/** One per process (not per request, unlike loaders.ts): it gathers the requests of all requests. */
export function createPersonalFeeds(db: SqlReader): PersonalFeeds {
  return new DataLoader<PersonalRequest, PersonalRows>(
    (requests) => recommendations.findPersonal(db, requests),
    {
      // No memo: a feed is read fresh for every request, and a repeated key gets a slot of its own.
      cache: false,
      // After the turn's I/O callbacks, so requests that arrived together share the statement.
      batchScheduleFn: (run) => setImmediate(run),
      maxBatchSize: MAX_FEEDS_PER_STATEMENT,
    },
  );
}
