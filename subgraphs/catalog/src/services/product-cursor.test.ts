import { encodeCursor } from '@mp/kit';
import { describe, expect, it } from 'vitest';
import type { ListedProduct } from '../repositories/product-listing.repository.ts';
import { cursorOf, effectiveOrder, keysetFrom } from './product-cursor.ts';

const row: ListedProduct = {
  id: 'p-1',
  sellerId: 's-1',
  categoryId: 'c-1',
  title: 'T',
  description: '',
  priceMinor: 1999n,
  currencyCode: 'EUR',
  stock: 1,
  images: [],
  attributes: [],
  createdAt: new Date('2026-10-01T10:00:00.123Z'),
  updatedAt: new Date('2026-10-01T10:00:00.123Z'),
  ratingAverage: '4.50',
  ratingCount: 2,
  rank: 0.0607927,
};

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
  return undefined;
}

describe('effectiveOrder', () => {
  it('defaults to RELEVANCE with a search and NEWEST without', () => {
    expect(effectiveOrder(undefined, 'phone')).toBe('RELEVANCE');
    expect(effectiveOrder(null, null)).toBe('NEWEST');
  });

  it('falls back from RELEVANCE to NEWEST when there is nothing to rank', () => {
    expect(effectiveOrder('RELEVANCE', null)).toBe('NEWEST');
  });

  it('keeps an explicit sort', () => {
    expect(effectiveOrder('PRICE_DESC', 'phone')).toBe('PRICE_DESC');
  });
});

describe('cursors', () => {
  it.each(['NEWEST', 'PRICE_ASC', 'PRICE_DESC', 'RATING', 'RELEVANCE'] as const)(
    'round-trips the %s sort key of a row exactly',
    (order) => {
      const keyset = keysetFrom(order, cursorOf(order, row));
      expect(keyset).toMatchObject({ order, id: 'p-1' });
      if (keyset?.order === 'NEWEST') expect(keyset.createdAt).toBe('2026-10-01T10:00:00.123Z');
      if (keyset?.order === 'PRICE_ASC' || keyset?.order === 'PRICE_DESC')
        expect(keyset.priceMinor).toBe('1999');
      if (keyset?.order === 'RATING') expect(keyset).toMatchObject({ ratingAverage: '4.50', ratingCount: 2 });
      if (keyset?.order === 'RELEVANCE') expect(keyset.rank).toBe(0.0607927);
    },
  );

  it('reads no cursor as the first page', () => {
    expect(keysetFrom('NEWEST', null)).toBeNull();
    expect(keysetFrom('NEWEST', undefined)).toBeNull();
  });

  it('refuses a cursor of another sort with BAD_USER_INPUT naming both sorts', () => {
    const cursor = cursorOf('PRICE_ASC', row);
    expect(() => keysetFrom('NEWEST', cursor)).toThrow(/PRICE_ASC.*NEWEST/);
    expect(codeOf(() => keysetFrom('PRICE_DESC', cursor))).toBe('BAD_USER_INPUT');
  });

  it.each([
    ['garbage', 'NEWEST', 'not-a-cursor'],
    ['an empty string', 'NEWEST', ''],
    ['a wrong-shaped NEWEST key', 'NEWEST', encodeCursor(['NEWEST', 'tomorrow', 'p-1'])],
    ['a numeric price', 'PRICE_ASC', encodeCursor(['PRICE_ASC', 1999, 'p-1'])],
    ['a negative price', 'PRICE_ASC', encodeCursor(['PRICE_ASC', '-5', 'p-1'])],
    ['a missing id', 'NEWEST', encodeCursor(['NEWEST', '2026-10-01T10:00:00.123Z'])],
    ['an extra value', 'NEWEST', encodeCursor(['NEWEST', '2026-10-01T10:00:00.123Z', 'p-1', 'x'])],
    ['a rating out of shape', 'RATING', encodeCursor(['RATING', '45', 2, 'p-1'])],
    ['a fractional rating count', 'RATING', encodeCursor(['RATING', '4.50', 2.5, 'p-1'])],
    ['a non-numeric rank', 'RELEVANCE', encodeCursor(['RELEVANCE', '0.5', 'p-1'])],
    ['an unknown label', 'NEWEST', encodeCursor([42, 'x'])],
  ] as const)('refuses %s with BAD_USER_INPUT', (_, order, cursor) => {
    expect(codeOf(() => keysetFrom(order, cursor))).toBe('BAD_USER_INPUT');
  });
});
