import { describe, expect, it } from 'vitest';
import { toProductMatch } from './product-filter.ts';

describe('toProductMatch', () => {
  it('passes a valid filter through, trimmed', () => {
    expect(
      toProductMatch({
        search: '  red shoes ',
        minPrice: ' 10',
        maxPrice: '99.95',
        inStock: false,
        categoryId: 'c',
      }),
    ).toEqual({
      search: 'red shoes',
      categoryId: 'c',
      sellerId: null,
      minPrice: '10',
      maxPrice: '99.95',
      inStock: false,
      ownSellerId: null,
    });
  });

  it('treats a blank search as no search', () => {
    expect(toProductMatch({ search: '   ' }).search).toBeNull();
  });

  it.each(['abc', '-1', '1e3', '1.', '.5', '12,50', '', '1.1234567'])(
    'refuses the price "%s" naming it',
    (value) => {
      expect(() => toProductMatch({ minPrice: value })).toThrow(`"${value}"`);
      expect(() => toProductMatch({ maxPrice: value })).toThrow(/filter\.maxPrice/);
    },
  );

  it('allows 200 search characters and refuses 201', () => {
    expect(toProductMatch({ search: 'a'.repeat(200) }).search).toHaveLength(200);
    expect(() => toProductMatch({ search: 'a'.repeat(201) })).toThrow(/at most 200 characters, got 201/);
  });
});
