import { describe, expect, it } from 'vitest';
import type { Neighbourhood, SqlReader } from '../repositories/recommendation.repository.ts';
import type { NeighbourhoodCache } from './neighbourhoods.ts';
import { MAX_FEEDS_PER_STATEMENT, createPersonalFeeds } from './personal-feeds.ts';

/**
 * A pool that records the buyers of each statement it is asked (what they have) and answers each slot
 * with one product named after the slot's buyer and position, so a test sees which answer went to
 * which request.
 */
function recordingPool(fail?: (buyerIds: string[]) => boolean) {
  const statements: string[][] = [];
  const pool: SqlReader = {
    query<R>({ values }: { values: unknown[] }) {
      const buyerIds = values[0] as string[];
      statements.push(buyerIds);
      if (fail?.(buyerIds)) return Promise.reject(new Error('connection terminated'));
      const rows = buyerIds.map((buyerId, i) => ({ slot: i + 1, productId: `${buyerId}#${i + 1}` }));
      return Promise.resolve({ rows: rows as R[] });
    },
  };
  return { pool, statements };
}

/** Every product's row lists one neighbour, `<product>+`, bought by its only buyer. */
const rowsAsked: string[][] = [];
const neighbourhoods: NeighbourhoodCache = {
  get(productIds) {
    rowsAsked.push([...productIds]);
    return Promise.resolve(
      productIds.map((id): Neighbourhood => ({
        buyers: 1,
        neighbours: [
          {
            productId: `${id}+`,
            pairBuyers: 1,
            buyers: 1,
            candidate: {
              productId: `${id}+`,
              sellerId: 's',
              title: 't',
              priceMinor: '100',
              currencyCode: 'EUR',
              sellerName: 'n',
            },
          },
        ],
      })),
    );
  },
  invalidate: () => undefined,
  invalidateAll: () => undefined,
};

describe('personal feeds', () => {
  it('reads what the buyers of one turn have in one statement, each answer to its own request', async () => {
    const { pool, statements } = recordingPool();
    const feeds = createPersonalFeeds(pool, neighbourhoods);
    const answers = await Promise.all([
      feeds.read({ buyerId: 'ann', limit: 30 }),
      feeds.read({ buyerId: 'bob', limit: 6 }),
      feeds.read({ buyerId: 'ann', limit: 30 }),
    ]);
    expect(statements).toEqual([['ann', 'bob', 'ann']]);
    expect(answers.map((a) => a.owned)).toEqual([['ann#1'], ['bob#2'], ['ann#3']]);
  });

  it('scores the neighbours in the rows of what the buyer has', async () => {
    const { pool } = recordingPool();
    rowsAsked.length = 0;
    const feed = await createPersonalFeeds(pool, neighbourhoods).read({ buyerId: 'ann', limit: 5 });
    expect(rowsAsked).toEqual([['ann#1']]);
    expect(feed.neighbours.map((c) => [c.productId, c.score])).toEqual([['ann#1+', 1]]);
    const none = await createPersonalFeeds(pool, neighbourhoods).read({ buyerId: 'ann', limit: 0 });
    expect(none.neighbours).toEqual([]);
  });

  it('reads again for a later request: what a buyer has is never kept', async () => {
    const { pool, statements } = recordingPool();
    const feeds = createPersonalFeeds(pool, neighbourhoods);
    await feeds.read({ buyerId: 'ann', limit: 30 });
    await feeds.read({ buyerId: 'ann', limit: 30 });
    expect(statements).toHaveLength(2);
  });

  it(`splits a turn of more than ${MAX_FEEDS_PER_STATEMENT} feeds over several statements`, async () => {
    const { pool, statements } = recordingPool();
    const feeds = createPersonalFeeds(pool, neighbourhoods);
    const buyers = Array.from({ length: MAX_FEEDS_PER_STATEMENT + 3 }, (_, i) => `buyer-${i}`);
    const answers = await Promise.all(buyers.map((buyerId) => feeds.read({ buyerId, limit: 30 })));
    expect(statements.map((s) => s.length)).toEqual([MAX_FEEDS_PER_STATEMENT, 3]);
    expect(answers.every((a, i) => a.owned[0]!.startsWith(`${buyers[i]}#`))).toBe(true);
  });

  it('fails every request of a failed statement, and only those', async () => {
    const { pool } = recordingPool((buyerIds) => buyerIds.includes('ann'));
    const feeds = createPersonalFeeds(pool, neighbourhoods);
    const together = await Promise.allSettled([
      feeds.read({ buyerId: 'ann', limit: 30 }),
      feeds.read({ buyerId: 'bob', limit: 30 }),
    ]);
    expect(together.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(feeds.read({ buyerId: 'bob', limit: 30 })).resolves.toMatchObject({
      owned: ['bob#1'],
    });
  });
});
