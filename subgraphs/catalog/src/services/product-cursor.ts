// Keyset cursors: each cursor names the sort that issued it and carries that sort's key of the last
// row, so the next page is a range condition on an index instead of an OFFSET.
import { badUserInput, decodeCursor, encodeCursor } from '@mp/kit';
import type { Keyset, ListedProduct, ProductOrder } from '../repositories/product-listing.repository.ts';

export type ProductSortArg = ProductOrder | null | undefined;

/** RELEVANCE needs a search; without one (or without a sort) the newest products come first. */
export function effectiveOrder(sort: ProductSortArg, search: string | null): ProductOrder {
  if (sort === null || sort === undefined) return search === null ? 'NEWEST' : 'RELEVANCE';
  if (sort === 'RELEVANCE' && search === null) return 'NEWEST';
  return sort;
}

export function cursorOf(order: ProductOrder, row: ListedProduct): string {
  switch (order) {
    case 'NEWEST':
      return encodeCursor([order, row.createdAt.toISOString(), row.id]);
    case 'PRICE_ASC':
    case 'PRICE_DESC':
      return encodeCursor([order, row.priceMinor.toString(), row.id]);
    case 'RATING':
      return encodeCursor([order, row.ratingAverage, row.ratingCount, row.id]);
    case 'RELEVANCE':
      return encodeCursor([order, row.rank, row.id]);
  }
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const MINOR_UNITS = /^\d{1,18}$/;
const RATING_AVERAGE = /^\d(\.\d{1,2})?$/;
const MAX_ID_LENGTH = 200;

function notOurs(cursor: string): never {
  throw badUserInput(`"after" is not a cursor this API issued: "${cursor.slice(0, 64)}"`, 'after');
}

const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/**
 * Turns `after` into the keyset of the given sort. Malformed cursors, and cursors issued for another
 * sort (their key would mean something else), are BAD_USER_INPUT.
 */
export function keysetFrom(order: ProductOrder, after: string | null | undefined): Keyset | null {
  const values = decodeCursor(after);
  if (values === null || after === null || after === undefined) return null;
  const [label, ...rest] = values;
  if (label !== order) {
    if (typeof label === 'string' && /^[A-Z_]{1,20}$/.test(label)) {
      throw badUserInput(
        `"after" is a cursor of a listing sorted by ${label}, but this listing is sorted by ${order}; request the first page again`,
        'after',
      );
    }
    notOurs(after);
  }
  switch (order) {
    case 'NEWEST': {
      const [createdAt, id] = rest;
      const valid = rest.length === 2 && typeof createdAt === 'string' && ISO_TIMESTAMP.test(createdAt);
      if (!valid || Number.isNaN(Date.parse(createdAt)) || !isId(id)) return notOurs(after);
      return { order, createdAt, id };
    }
    case 'PRICE_ASC':
    case 'PRICE_DESC': {
      const [priceMinor, id] = rest;
      if (rest.length !== 2 || typeof priceMinor !== 'string' || !MINOR_UNITS.test(priceMinor) || !isId(id)) {
        return notOurs(after);
      }
      return { order, priceMinor, id };
    }
    case 'RATING': {
      const [ratingAverage, ratingCount, id] = rest;
      const valid =
        rest.length === 3 &&
        typeof ratingAverage === 'string' &&
        RATING_AVERAGE.test(ratingAverage) &&
        typeof ratingCount === 'number' &&
        Number.isInteger(ratingCount) &&
        ratingCount >= 0 &&
        ratingCount <= 2_147_483_647;
      if (!valid || !isId(id)) return notOurs(after);
      return { order, ratingAverage, ratingCount, id };
    }
    case 'RELEVANCE': {
      const [rank, id] = rest;
      if (rest.length !== 2 || typeof rank !== 'number' || !Number.isFinite(rank) || !isId(id))
        return notOurs(after);
      return { order, rank, id };
    }
  }
}
