import { badUserInput, decodeCursor, encodeCursor } from '@mp/kit';
import type { ReviewPosition } from '../repositories/review.repository.ts';

/** A review's place in "newest first" order; what an `after` cursor points at. */
export function reviewCursor(review: ReviewPosition): string {
  return encodeCursor([review.createdAt.toISOString(), review.id]);
}

/** Reads an `after` cursor back; anything this API did not issue is BAD_USER_INPUT. */
export function parseReviewCursor(after: string): ReviewPosition {
  const values = decodeCursor(after);
  const [createdAt, id] = values ?? [];
  if (values?.length === 2 && typeof createdAt === 'string' && typeof id === 'string') {
    const date = new Date(createdAt);
    if (!Number.isNaN(date.getTime()) && date.toISOString() === createdAt) return { createdAt: date, id };
  }
  throw badUserInput(`"after" is not a review cursor this API issued: "${after.slice(0, 64)}"`, 'after');
}
