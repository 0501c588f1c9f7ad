import { describe, expect, it } from 'vitest';
import type { Neighbourhood } from '../repositories/recommendation.repository.ts';
import { createNeighbourhoodCache } from './neighbourhoods.ts';

/** Product p's row lists the products in `graph[p]`; each read is recorded, and its number is c(p). */
function recordingRead(graph: Record<string, string[]>, options: { fail?: boolean } = {}) {
  const reads: string[][] = [];
  let version = 0;
  let gate: { opened: Promise<void>; open: () => void } | undefined;
  const read = async (productIds: readonly string[]) => {
    reads.push([...productIds]);
    version += 1;
    const at = version;
    const held = gate;
    gate = undefined;
    if (held) await held.opened;
    if (options.fail) throw new Error('connection terminated');
    return new Map(
      productIds.map((id): [string, Neighbourhood] => [
        id,
        {
          buyers: at,
          neighbours: (graph[id] ?? []).map((productId) => ({
            productId,
            pairBuyers: 1,
            buyers: 1,
            candidate: null,
          })),
        },
      ]),
    );
  };
  return {
    read,
    reads,
    /** The next read waits until `resume()`. */
    hold: () => {
      let open = () => {};
      const opened = new Promise<void>((resolve) => (open = resolve));
      gate = { opened, open };
      return { resume: () => open() };
    },
  };
}

const graph = { a: ['x', 'y'], b: ['y'], c: ['z'] };

describe('the neighbourhood cache', () => {
  it('reads the rows missing in one turn in one statement, each product once', async () => {
    const { read, reads } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 1_000 });
    const [first, second] = await Promise.all([cache.get(['a', 'b']), cache.get(['b', 'c'])]);
    expect(reads).toEqual([['a', 'b', 'c']]);
    expect(first.map((row) => row.neighbours.map((n) => n.productId))).toEqual([['x', 'y'], ['y']]);
    expect(second.map((row) => row.neighbours.map((n) => n.productId))).toEqual([['y'], ['z']]);
  });

  it('answers from memory while fresh, and reads again after the TTL', async () => {
    let now = 0;
    const { read, reads } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 1_000, now: () => now });
    await cache.get(['a']);
    now = 999;
    await cache.get(['a']);
    expect(reads).toHaveLength(1);
    now = 1_000;
    expect((await cache.get(['a']))[0]!.buyers).toBe(2);
    expect(reads).toHaveLength(2);
  });

  it('drops the rows of changed products and every row listing one, and keeps the rest', async () => {
    const { read, reads } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 1_000 });
    await cache.get(['a', 'b', 'c']);
    cache.invalidate(['y']); // listed by a and b
    await cache.get(['a', 'b', 'c']);
    expect(reads).toEqual([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]);
    cache.invalidate(['c']); // its own row
    await cache.get(['a', 'b', 'c']);
    expect(reads.at(-1)).toEqual(['c']);
  });

  it('drops every row when asked to', async () => {
    const { read, reads } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 1_000 });
    await cache.get(['a', 'c']);
    cache.invalidateAll();
    await cache.get(['a', 'c']);
    expect(reads).toEqual([
      ['a', 'c'],
      ['a', 'c'],
    ]);
  });

  it('answers the requests waiting on a read that an invalidation overtook, but keeps nothing of it', async () => {
    const { read, reads, hold } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 1_000 });
    const { resume } = hold();
    const pending = cache.get(['a']);
    await new Promise((resolve) => setImmediate(resolve));
    cache.invalidate(['x']);
    resume();
    expect((await pending)[0]!.buyers).toBe(1);
    expect((await cache.get(['a']))[0]!.buyers).toBe(2);
    expect(reads).toHaveLength(2);
  });

  it('keeps nothing with a TTL of 0', async () => {
    const { read, reads } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 0 });
    await cache.get(['a']);
    await cache.get(['a']);
    expect(reads).toHaveLength(2);
  });

  it('starts over when full rather than growing', async () => {
    const { read, reads } = recordingRead(graph);
    const cache = createNeighbourhoodCache({ read, ttlMs: 1_000, maxEntries: 2 });
    await cache.get(['a', 'b']);
    await cache.get(['c']); // full: a and b go
    await cache.get(['c']);
    await cache.get(['a']);
    expect(reads).toEqual([['a', 'b'], ['c'], ['a']]);
  });

  it('fails the requests of a failed read, and keeps nothing of it', async () => {
    const failing = recordingRead(graph, { fail: true });
    const cache = createNeighbourhoodCache({ read: failing.read, ttlMs: 1_000 });
    await expect(cache.get(['a'])).rejects.toThrow('connection terminated');
    await expect(cache.get(['a'])).rejects.toThrow('connection terminated');
    expect(failing.reads).toHaveLength(2);
  });
});
