import { GraphQLError } from 'graphql';

/** An expected failure, returned as data in a mutation payload's `userErrors`. */
export interface UserError<C extends string = string> {
  field: string[] | null;
  message: string;
  code: C;
}

/** `code` keeps its literal type, so it checks against the subgraph's generated UserErrorCode. */
export function userError<C extends string>(
  field: string | string[] | null,
  message: string,
  code: C,
): UserError<C> {
  return { field: field === null ? null : Array.isArray(field) ? field : [field], message, code };
}

export function unauthenticated(message = 'You must be signed in to do this'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}

export function notFound(what: string, id: string): GraphQLError {
  return new GraphQLError(`${what} "${id}" was not found`, { extensions: { code: 'NOT_FOUND' } });
}

export function badUserInput(message: string, field?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'BAD_USER_INPUT', ...(field ? { field } : {}) },
  });
}
