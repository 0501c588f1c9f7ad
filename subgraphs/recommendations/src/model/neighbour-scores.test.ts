import { describe, expect, it } from 'vitest';
import { OWNED_FOR_NEIGHBOURS, cosine } from './co-purchase.ts';
import type { Candidate } from './feed.ts';
import { neighbourScores, productsForNeighbours, type NeighbourCounts } from './neighbour-scores.ts';

const n = (productId: string, pairBuyers: number, buyers: number, available = true) =>
  ({
    productId,
    pairBuyers,
    buyers,
    candidate: available ? { productId, sellerId: 's' } : null,
  }) satisfies NeighbourCounts<Candidate>;

const scored = (list: readonly { productId: string; score: number }[]) =>
  list.map(({ productId, score }) => [productId, Number(score.toFixed(9))]);

describe('neighbourScores', () => {
  it('sums each neighbour’s cosine over the rows of the buyer’s products, best first', () => {
    const rows = [
      { buyers: 4, neighbours: [n('x', 2, 9), n('y', 1, 1)] },
      { buyers: 1, neighbours: [n('x', 1, 9)] },
    ];
    const result = neighbourScores({ rows, exclude: new Set(['a', 'b']), limit: 10 });
    // x: 2/√(4·9) + 1/√(1·9) = 2/3; y: 1/√(4·1) = 1/2.
    expect(scored(result)).toEqual([
      ['x', Number((cosine(2, 4, 9) + cosine(1, 1, 9)).toFixed(9))],
      ['y', Number(cosine(1, 4, 1).toFixed(9))],
    ]);
  });

  it('never lists an excluded product (what the buyer has), nor one that may not be recommended now', () => {
    const rows = [{ buyers: 2, neighbours: [n('mine', 2, 2), n('gone', 2, 2, false), n('ok', 1, 5)] }];
    expect(neighbourScores({ rows, exclude: new Set(['mine']), limit: 10 }).map((c) => c.productId)).toEqual([
      'ok',
    ]);
  });

  it('breaks ties by product id and returns at most `limit`', () => {
    const rows = [{ buyers: 1, neighbours: [n('c', 1, 1), n('a', 1, 1), n('b', 1, 1), n('d', 1, 4)] }];
    const result = neighbourScores({ rows, exclude: new Set(), limit: 3 });
    expect(result.map((c) => c.productId)).toEqual(['a', 'b', 'c']);
  });

  it('skips rows and neighbours without buyers rather than dividing by zero', () => {
    const rows = [
      { buyers: 0, neighbours: [n('x', 1, 1)] },
      { buyers: 1, neighbours: [{ productId: 'y', pairBuyers: 1, buyers: null, candidate: null }] },
    ];
    expect(neighbourScores({ rows, exclude: new Set(), limit: 5 })).toEqual([]);
  });

  it('keeps each candidate’s own fields', () => {
    const shelf = { productId: 'x', sellerId: 's', title: 'Kettle' };
    const rows = [
      { buyers: 1, neighbours: [{ productId: 'x', pairBuyers: 1, buyers: 1, candidate: shelf }] },
    ];
    expect(neighbourScores({ rows, exclude: new Set(), limit: 1 })).toEqual([{ ...shelf, score: 1 }]);
  });
});

describe('productsForNeighbours', () => {
  it('takes the buyer’s most recent products, up to the bound', () => {
    const owned = Array.from({ length: OWNED_FOR_NEIGHBOURS + 5 }, (_, i) => `p${i}`);
    expect(productsForNeighbours(owned)).toEqual(owned.slice(0, OWNED_FOR_NEIGHBOURS));
    expect(productsForNeighbours(['a'])).toEqual(['a']);
  });
});
