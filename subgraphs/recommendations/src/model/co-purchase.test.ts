import { describe, expect, it } from 'vitest';
import { cosine, pairsTouching } from './co-purchase.ts';

describe('pairsTouching', () => {
  it('pairs new products with each other and with what the buyer had, each pair once, in id order', () => {
    expect(pairsTouching(['c', 'a'], ['b', 'a', 'd'])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['b', 'c'],
      ['c', 'd'],
    ]);
  });

  it('has nothing to pair when nothing changed, and ignores repeats', () => {
    expect(pairsTouching([], ['a', 'b'])).toEqual([]);
    expect(pairsTouching(['a', 'a'], [])).toEqual([]);
  });
});

describe('cosine similarity', () => {
  it('is 1 for products always bought together and 0 for products never bought together', () => {
    expect(cosine(5, 5, 5)).toBe(1);
    expect(cosine(0, 5, 5)).toBe(0);
  });

  it('ranks a true companion above a best-seller everybody also bought', () => {
    // 10 buyers of a tent; 6 also bought its pegs (bought by 8 in all); 7 also bought the best-selling
    // water bottle (bought by 500). Raw counts would pick the bottle.
    const pegs = cosine(6, 10, 8);
    const bottle = cosine(7, 10, 500);
    expect(pegs).toBeGreaterThan(bottle);
  });

  it('gives one shared buyer of two rare products less than strong evidence', () => {
    expect(cosine(1, 1, 1)).toBe(1);
    expect(cosine(1, 20, 1)).toBeLessThan(cosine(10, 20, 12));
  });
});
