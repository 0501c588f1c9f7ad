import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_FIRST, parseFirst } from './feed-input.ts';

describe('parseFirst', () => {
  it('accepts 1 to 50', () => {
    expect(parseFirst(1)).toBe(1);
    expect(parseFirst(MAX_FIRST)).toBe(50);
  });

  it.each([0, -3, 51, 1000, null, 2.5])('refuses %s as BAD_USER_INPUT naming the value', (value) => {
    let error: unknown;
    try {
      parseFirst(value);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    expect((error as GraphQLError).message).toBe(
      `"first" must be a whole number from 1 to 50; got ${JSON.stringify(value)}`,
    );
  });
});
