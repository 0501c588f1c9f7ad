import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { bearerToken, type AccessTokenVerifier, type Identity } from '@mp/auth';
import { GraphQLError } from 'graphql';

export interface GatewayContext {
  requestId: string;
  identity: Identity | null;
  /** The verified access token, forwarded to subgraphs. */
  token: string | null;
}

/**
 * Verifies the caller's token up front so a bad one is refused with 401 before any planning, and a
 * request with no token continues as anonymous.
 */
export async function createGatewayContext(
  req: IncomingMessage,
  verify: AccessTokenVerifier,
): Promise<GatewayContext> {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && /^[\w-]{1,64}$/.test(header) ? header : randomUUID();
  let token: string | undefined;
  try {
    token = bearerToken(req.headers.authorization);
    const identity = token ? await verify(token) : null;
    return { requestId, identity, token: token ?? null };
  } catch (error) {
    throw new GraphQLError((error as Error).message, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    });
  }
}
