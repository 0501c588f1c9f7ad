import { describe, expect, it } from 'vitest';
import { toRating } from './rating.service.ts';

describe('toRating', () => {
  it('averages the approved ratings', () => {
    expect(toRating({ ratingSum: 9, ratingCount: 2 })).toEqual({ average: 4.5, count: 2 });
  });

  it('rounds the average to 2 decimals', () => {
    expect(toRating({ ratingSum: 14, ratingCount: 3 })).toEqual({ average: 4.67, count: 3 });
    expect(toRating({ ratingSum: 13, ratingCount: 3 })).toEqual({ average: 4.33, count: 3 });
    expect(toRating({ ratingSum: 33, ratingCount: 8 })).toEqual({ average: 4.13, count: 8 });
  });

  it('has no average when there are no approved ratings', () => {
    expect(toRating(null)).toEqual({ average: null, count: 0 });
    expect(toRating({ ratingSum: 0, ratingCount: 0 })).toEqual({ average: null, count: 0 });
  });
});
