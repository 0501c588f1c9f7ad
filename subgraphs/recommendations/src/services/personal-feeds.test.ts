import { describe, expect, it } from 'vitest';
import type { SqlReader } from '../repositories/recommendation.repository.ts';
import { MAX_FEEDS_PER_STATEMENT, createPersonalFeeds } from './personal-feeds.ts';

interface Statement {
  buyerIds: string[];
  limits: number[];
}

/**
 * A pool that records the personal statements it is asked and answers each slot with one owned product
 * named after the slot's buyer and position, so a test sees which answer went to which request.
 */
function recordingPool(fail?: (statement: Statement) => boolean) {
  const statements: Statement[] = [];
  const pool: SqlReader = {
    query<R>({ values }: { values: unknown[] }) {
      const statement = { buyerIds: values[0] as string[], limits: values[1] as number[] };
      statements.push(statement);
      if (fail?.(statement)) return Promise.reject(new Error('connection terminated'));
      const rows = statement.buyerIds.map((buyerId, i) => ({
        slot: i + 1,
        productId: `${buyerId}#${i + 1}`,
        rank: null,
        owned: true,
      }));
      return Promise.resolve({ rows: rows as R[] });
    },
  };
  return { pool, statements };
}

describe('personal feeds', () => {
  it('reads the feeds asked for in the same turn in one statement, each answer to its own request', async () => {
    const { pool, statements } = recordingPool();
    const feeds = createPersonalFeeds(pool);
    const answers = await Promise.all([
      feeds.load({ buyerId: 'ann', limit: 30 }),
      feeds.load({ buyerId: 'bob', limit: 6 }),
      feeds.load({ buyerId: 'ann', limit: 30 }),
    ]);
    expect(statements).toEqual([{ buyerIds: ['ann', 'bob', 'ann'], limits: [30, 6, 30] }]);
    expect(answers.map((a) => a.owned)).toEqual([['ann#1'], ['bob#2'], ['ann#3']]);
  });

  it('reads again for a later request: nothing is kept between statements', async () => {
    const { pool, statements } = recordingPool();
    const feeds = createPersonalFeeds(pool);
    await feeds.load({ buyerId: 'ann', limit: 30 });
    await feeds.load({ buyerId: 'ann', limit: 30 });
    expect(statements).toHaveLength(2);
  });

  it(`splits a turn of more than ${MAX_FEEDS_PER_STATEMENT} feeds over several statements`, async () => {
    const { pool, statements } = recordingPool();
    const feeds = createPersonalFeeds(pool);
    const buyers = Array.from({ length: MAX_FEEDS_PER_STATEMENT + 3 }, (_, i) => `buyer-${i}`);
    const answers = await Promise.all(buyers.map((buyerId) => feeds.load({ buyerId, limit: 30 })));
    expect(statements.map((s) => s.buyerIds.length)).toEqual([MAX_FEEDS_PER_STATEMENT, 3]);
    expect(answers.every((a, i) => a.owned[0]!.startsWith(`${buyers[i]}#`))).toBe(true);
  });

  it('fails every request of a failed statement, and only those', async () => {
    const { pool } = recordingPool((s) => s.buyerIds.includes('ann'));
    const feeds = createPersonalFeeds(pool);
    const together = await Promise.allSettled([
      feeds.load({ buyerId: 'ann', limit: 30 }),
      feeds.load({ buyerId: 'bob', limit: 30 }),
    ]);
    expect(together.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(feeds.load({ buyerId: 'bob', limit: 30 })).resolves.toEqual({
      neighbours: [],
      owned: ['bob#1'],
    });
  });
});
