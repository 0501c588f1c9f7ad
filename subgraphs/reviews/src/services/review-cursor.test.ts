import { encodeCursor } from '@mp/kit';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseReviewCursor, reviewCursor } from './review-cursor.ts';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : error;
  }
  return 'no error';
}

describe('review cursors', () => {
  it('read back the position they were made from', () => {
    const position = { createdAt: new Date('2026-10-02T08:15:30.123Z'), id: 'review-1' };
    expect(parseReviewCursor(reviewCursor(position))).toEqual(position);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    ['a JSON object', Buffer.from('{"a":1}').toString('base64url')],
    ['one value', encodeCursor(['2026-10-02T08:15:30.123Z'])],
    ['a number for the date', encodeCursor([1, 'review-1'])],
    ['a date that is not ISO', encodeCursor(['yesterday', 'review-1'])],
    ['a number for the id', encodeCursor(['2026-10-02T08:15:30.123Z', 7])],
  ])('reject %s as BAD_USER_INPUT', (_, cursor) => {
    expect(codeOf(() => parseReviewCursor(cursor))).toBe('BAD_USER_INPUT');
  });
});
