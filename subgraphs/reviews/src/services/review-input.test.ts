import { describe, expect, it } from 'vitest';
import { checkReviewInput } from './review-input.ts';

const valid = { productId: 'product-1', rating: 4, title: 'Great value', body: 'Works as described.' };

describe('checkReviewInput', () => {
  it('accepts a valid review and trims its text', () => {
    expect(checkReviewInput({ ...valid, title: '  Great value ', body: '\n Works as described.\t' })).toEqual(
      {
        ok: true,
        value: valid,
      },
    );
  });

  it.each([1, 5])('accepts a rating of %i', (rating) => {
    expect(checkReviewInput({ ...valid, rating }).ok).toBe(true);
  });

  it('accepts a title of exactly 120 characters and a body of exactly 5,000', () => {
    expect(checkReviewInput({ ...valid, title: 't'.repeat(120), body: 'b'.repeat(5_000) }).ok).toBe(true);
  });

  it.each([0, 6, -1, 2.5])('refuses a rating of %s, naming the value', (rating) => {
    expect(checkReviewInput({ ...valid, rating })).toEqual({
      ok: false,
      errors: [
        {
          field: ['input', 'rating'],
          code: 'INVALID_INPUT',
          message: `Rating must be a whole number of stars from 1 to 5, got ${rating}`,
        },
      ],
    });
  });

  it.each([
    ['an empty title', { title: '' }, 'title', 'got 0: ""'],
    ['a title of spaces only', { title: '   ' }, 'title', 'got 0'],
    ['a 121-character title', { title: 'x'.repeat(121) }, 'title', 'got 121'],
    ['an empty body', { body: ' \n ' }, 'body', 'got 0'],
    ['a 5,001-character body', { body: 'y'.repeat(5_001) }, 'body', 'got 5001'],
  ])('refuses %s as INVALID_INPUT on that field', (_, change, field, fragment) => {
    const checked = checkReviewInput({ ...valid, ...change });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toHaveLength(1);
    expect(checked.errors[0]).toMatchObject({ field: ['input', field], code: 'INVALID_INPUT' });
    expect(checked.errors[0]!.message).toContain(fragment);
  });

  it('quotes long values cut short', () => {
    const checked = checkReviewInput({ ...valid, title: 'z'.repeat(200) });
    expect(checked.ok || checked.errors[0]!.message).toBe(
      `Title must be 1–120 characters after trimming, got 200: "${'z'.repeat(40)}…"`,
    );
  });

  it('reports every problem at once', () => {
    const checked = checkReviewInput({ ...valid, rating: 9, title: '', body: '' });
    expect(checked.ok || checked.errors.map((e) => e.field)).toEqual([
      ['input', 'rating'],
      ['input', 'title'],
      ['input', 'body'],
    ]);
  });
});
