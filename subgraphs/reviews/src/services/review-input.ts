// Validation of addReview's input: pure, so every rule is unit-tested. Each problem is a userError naming
// the field and the value; all problems are reported at once.
import { userError, type UserError as KitUserError } from '@mp/kit';
import type { AddReviewInput, UserErrorCode } from '../generated/graphql.ts';

type UserError = KitUserError<UserErrorCode>;

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const TITLE_MAX = 120;
export const BODY_MAX = 5_000;

export interface ValidReview {
  productId: string;
  rating: number;
  /** Trimmed. */
  title: string;
  /** Trimmed. */
  body: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

/** A value quoted for a message, cut short so a 5,000-character body does not fill the answer. */
export function quote(value: string, max = 40): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

function text(field: 'title' | 'body', label: string, value: string, max: number, errors: UserError[]) {
  const trimmed = value.trim();
  if (trimmed.length < 1 || trimmed.length > max) {
    errors.push(
      userError(
        ['input', field],
        `${label} must be 1–${max.toLocaleString('en')} characters after trimming, got ${trimmed.length}: ${quote(trimmed)}`,
        'INVALID_INPUT',
      ),
    );
  }
  return trimmed;
}

export function checkReviewInput(input: AddReviewInput): Checked<ValidReview> {
  const errors: UserError[] = [];
  if (!Number.isInteger(input.rating) || input.rating < RATING_MIN || input.rating > RATING_MAX) {
    errors.push(
      userError(
        ['input', 'rating'],
        `Rating must be a whole number of stars from ${RATING_MIN} to ${RATING_MAX}, got ${input.rating}`,
        'INVALID_INPUT',
      ),
    );
  }
  const title = text('title', 'Title', input.title, TITLE_MAX, errors);
  const body = text('body', 'Body', input.body, BODY_MAX, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { productId: input.productId, rating: input.rating, title, body } };
}
