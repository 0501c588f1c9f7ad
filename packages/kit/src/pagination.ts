import { badUserInput } from './errors.ts';

export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** Validates a page size: 0…100, else BAD_USER_INPUT naming the value. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 0 and ${MAX_PAGE_SIZE}, got ${value}`, 'first');
  }
  return value;
}

/** Cursors are opaque to clients: base64url of a JSON array of the sort key values. */
export function encodeCursor(values: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined): (string | number | null)[] | null {
  if (cursor === null || cursor === undefined) return null;
  try {
    if (cursor.length > 512) throw new Error('too long');
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(decoded) &&
      decoded.every((v) => v === null || typeof v === 'string' || typeof v === 'number')
    ) {
      return decoded as (string | number | null)[];
    }
  } catch {
    // fall through to the error below: any undecodable cursor is the client's mistake
  }
  throw badUserInput(`"after" is not a cursor this API issued: "${cursor.slice(0, 64)}"`, 'after');
}

/**
 * Builds a Relay connection from `first + 1` fetched rows: the extra row only tells whether there is a
 * next page.
 */
export function toConnection<T>(
  rows: readonly T[],
  first: number,
  cursorOf: (row: T) => string,
  hasPreviousPage = false,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
