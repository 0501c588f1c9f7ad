import { SignJWT, jwtVerify } from 'jose';

/** The header the gateway puts on every request it sends to a subgraph. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-gateway-credential';
const ISSUER = 'marketplace-gateway';
const TTL_SECONDS = 60;

function keyFrom(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * The gateway's proof to a subgraph that a request came through it: a short-lived HS256 token whose
 * audience is the subgraph's name, so a credential captured for one subgraph is useless at another.
 */
export function createGatewayCredentialSigner(secret: string) {
  const key = keyFrom(secret);
  return (subgraph: string, requestId: string): Promise<string> =>
    new SignJWT({ rid: requestId })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(subgraph)
      .setIssuedAt()
      .setExpirationTime(`${TTL_SECONDS}s`)
      .sign(key);
}

export function createGatewayCredentialVerifier(secret: string, subgraph: string) {
  const key = keyFrom(secret);
  return async (credential: string | undefined): Promise<boolean> => {
    if (!credential) return false;
    try {
      await jwtVerify(credential, key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: subgraph,
        clockTolerance: 5,
      });
      return true;
    } catch {
      return false;
    }
  };
}
