import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { GATEWAY_CREDENTIAL_HEADER, bearerToken, type AccessTokenVerifier, type Identity } from '@mp/auth';
import { GraphQLError } from 'graphql';
import type { Logger } from './logger.ts';

/** What every subgraph's per-request context starts from. */
export interface BaseContext {
  identity: Identity | null;
  requestId: string;
  log: Logger;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What a subgraph adds to the base context: anything but the base's own fields, so no subgraph can
 * replace the verified identity or the request id.
 */
export type ContextParts = object & { [K in keyof BaseContext]?: never };

/** The parts of a subgraph's `Context` type: what its `contextParts` function returns. */
export type ContextPartsOf<TContext extends BaseContext> = Omit<TContext, keyof BaseContext>;

/**
 * A subgraph's per-request context (subgraph-server.ts): the authenticated base with the subgraph's own
 * parts added to it. The base object is fresh per request and owned by the server, so the parts are
 * assigned onto it rather than copied with `{ ...base, ...parts }`. With the copy, every young object of
 * the request survived young-generation GCs until the next full GC: about 0.4 KB promoted per request
 * (measured, packages/kit/test/promoted-per-request.test.ts; why V8 keeps them is not established).
 */
export function extendContext<T extends ContextParts>(base: BaseContext, parts: T): BaseContext & T {
  return Object.assign(base, parts);
}

export interface RequestAuthenticator {
  verifyCredential: (credential: string | undefined) => Promise<boolean>;
  verifyToken: AccessTokenVerifier;
  log: Logger;
}

/**
 * Subgraphs trust nobody: a request without a valid gateway credential is refused before parsing
 * (`_entities` included), and the caller's access token is verified here again rather than taken
 * from a header the gateway could have been tricked into forwarding.
 */
export async function authenticateRequest(
  req: IncomingMessage,
  auth: RequestAuthenticator,
): Promise<BaseContext> {
  const requestId = header(req, 'x-request-id') ?? randomUUID();
  if (!(await auth.verifyCredential(header(req, GATEWAY_CREDENTIAL_HEADER)))) {
    throw new GraphQLError('This service only accepts requests from the gateway', {
      extensions: { code: 'FORBIDDEN', http: { status: 403 } },
    });
  }
  let identity: Identity | null = null;
  try {
    const token = bearerToken(header(req, 'authorization'));
    if (token) identity = await auth.verifyToken(token);
  } catch (error) {
    throw new GraphQLError((error as Error).message, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
  return { identity, requestId, log: auth.log.child({ requestId }) };
}
