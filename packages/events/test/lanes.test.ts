import { describe, expect, it } from 'vitest';
import { laneOf, processInLanes } from '../src/lanes.ts';

interface Item {
  key: string;
  n: number;
}

const items = (spec: string): Item[] => spec.split(' ').map((token, n) => ({ key: token, n }));

describe('processInLanes', () => {
  it('hands each key its items in batch order and reports the whole batch done', async () => {
    const seen: Item[][] = [];
    const batch = items('a b a c b a');
    const done = await processInLanes(batch, {
      lanes: 4,
      maxBatch: 10,
      keyOf: (item) => item.key,
      handle: async (chunk) => void seen.push(chunk),
      shouldContinue: () => true,
    });
    expect(done).toBe(6);
    for (const key of ['a', 'b', 'c']) {
      const order = seen
        .flat()
        .filter((item) => item.key === key)
        .map((item) => item.n);
      expect(order).toEqual([...order].sort((x, y) => x - y));
    }
    expect(seen.flat()).toHaveLength(6);
  });

  it('never puts more than maxBatch items in one chunk', async () => {
    const sizes: number[] = [];
    await processInLanes(items('a a a a a a a'), {
      lanes: 2,
      maxBatch: 3,
      keyOf: (item) => item.key,
      handle: async (chunk) => void sizes.push(chunk.length),
      shouldContinue: () => true,
    });
    expect(sizes).toEqual([3, 3, 1]);
  });

  it('stops a lane at a failed chunk and reports only the gap-free prefix as done', async () => {
    const batch = items('a a a a');
    const done = await processInLanes(batch, {
      lanes: 1,
      maxBatch: 1,
      keyOf: (item) => item.key,
      handle: async ([item]) => {
        if (item?.n === 2) throw new Error('poison');
      },
      shouldContinue: () => true,
    });
    expect(done).toBe(2);
  });

  it('starts no chunk once shouldContinue turns false', async () => {
    let handled = 0;
    const done = await processInLanes(items('a a a'), {
      lanes: 1,
      maxBatch: 1,
      keyOf: (item) => item.key,
      handle: async () => void (handled += 1),
      shouldContinue: () => handled < 1,
    });
    expect({ handled, done }).toEqual({ handled: 1, done: 1 });
  });
});

describe('laneOf', () => {
  it('is stable and spreads keys over all lanes', () => {
    expect(laneOf('seller-1', 4)).toBe(laneOf('seller-1', 4));
    const used = new Set(Array.from({ length: 100 }, (_, i) => laneOf(`seller-${i}`, 4)));
    expect(used).toEqual(new Set([0, 1, 2, 3]));
  });
});
