import { describe, expect, it } from 'vitest';
import { alsoBoughtList, diversify, maxPerSeller, personalFeed, type Candidate } from './feed.ts';

const c = (productId: string, sellerId = 's1'): Candidate => ({ productId, sellerId });
const ids = (list: readonly Candidate[]) => list.map((x) => x.productId);

describe('diversify', () => {
  it('lets no shop take more than half the feed while others have candidates', () => {
    const ranked = [
      c('a1', 'A'),
      c('a2', 'A'),
      c('a3', 'A'),
      c('a4', 'A'),
      c('b1', 'B'),
      c('c1', 'C'),
      c('b2', 'B'),
    ];
    expect(maxPerSeller(4)).toBe(2);
    expect(ids(diversify(ranked, 4))).toEqual(['a1', 'a2', 'b1', 'c1']);
  });

  it('fills the feed from the passed-over candidates, in rank order, when others run out', () => {
    const ranked = [c('a1', 'A'), c('a2', 'A'), c('a3', 'A'), c('b1', 'B'), c('a4', 'A')];
    expect(ids(diversify(ranked, 5))).toEqual(['a1', 'a2', 'a3', 'b1', 'a4']);
    expect(ids(diversify(ranked, 4))).toEqual(['a1', 'a2', 'b1', 'a3']);
  });

  it('returns each product once and at most `first`', () => {
    expect(ids(diversify([c('a'), c('a'), c('b', 's2')], 5))).toEqual(['a', 'b']);
    expect(diversify([c('a'), c('b', 's2'), c('c', 's3')], 1)).toHaveLength(1);
  });
});

describe('personalFeed', () => {
  it('puts neighbours before popular products and never returns what the buyer has', () => {
    const feed = personalFeed({
      neighbours: [c('n1', 'A'), c('owned', 'B'), c('n2', 'B')],
      popular: [c('owned', 'B'), c('p1', 'C'), c('n1', 'A'), c('p2', 'D')],
      owned: new Set(['owned']),
      first: 4,
    });
    expect(ids(feed)).toEqual(['n1', 'n2', 'p1', 'p2']);
  });

  it('is the popular feed minus owned products for a buyer without neighbours', () => {
    const feed = personalFeed({
      neighbours: [],
      popular: [c('x', 'A'), c('y', 'B'), c('z', 'C')],
      owned: new Set(['y']),
      first: 3,
    });
    expect(ids(feed)).toEqual(['x', 'z']);
  });
});

describe('alsoBoughtList', () => {
  it('tops neighbours up with more from the seller, never the product itself or a repeat', () => {
    const list = alsoBoughtList({
      productId: 'p',
      neighbours: [c('n1', 'X'), c('m1', 'S')],
      sameSeller: [c('p', 'S'), c('m1', 'S'), c('m2', 'S'), c('m3', 'S')],
      first: 4,
    });
    expect(ids(list)).toEqual(['n1', 'm1', 'm2', 'm3']);
  });

  it('may be shorter than first when there is nothing more', () => {
    expect(alsoBoughtList({ productId: 'p', neighbours: [], sameSeller: [c('m1')], first: 4 })).toHaveLength(
      1,
    );
  });
});
