import { badUserInput, decodeCursor, encodeCursor } from '@mp/kit';
import type { Position } from '../repositories/order.repository.ts';

/** An order's (or seller order's) place in "newest first" order; what an `after` cursor points at. */
export function positionCursor(row: Position): string {
  return encodeCursor([row.createdAt.toISOString(), row.id]);
}

/** Reads an `after` cursor back; anything this API did not issue is BAD_USER_INPUT. */
export function parsePositionCursor(after: string): Position {
  const values = decodeCursor(after);
  const [createdAt, id] = values ?? [];
  if (values?.length === 2 && typeof createdAt === 'string' && typeof id === 'string') {
    const date = new Date(createdAt);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === createdAt) return { createdAt: date, id };
  }
  throw badUserInput(`"after" is not an order cursor this API issued: "${after.slice(0, 64)}"`, 'after');
}
