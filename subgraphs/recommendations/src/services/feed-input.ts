import { badUserInput } from '@mp/kit';

/** The largest list any recommendation field returns. */
export const MAX_FIRST = 50;

/**
 * `first` of `recommendedProducts` and `Product.alsoBought`: a whole number from 1 to MAX_FIRST. The
 * schema gives the default; an explicit null, 0, a negative or a larger number is BAD_USER_INPUT.
 */
export function parseFirst(value: number | null | undefined, field = 'first'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_FIRST) {
    throw badUserInput(
      `"${field}" must be a whole number from 1 to ${MAX_FIRST}; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
      field,
    );
  }
  return value;
}
