import { SignJWT, jwtVerify } from 'jose';
import { VerifiedCache } from './verified-cache.ts';

/** The header the gateway puts on every request it sends to a subgraph. */
export const GATEWAY_CREDENTIAL_HEADER = 'x-gateway-credential';
const ISSUER = 'marketplace-gateway';
const TTL_SECONDS = 60;
/** A credential is re-signed once half its lifetime has passed, so one in use always has ≥ 30 s left. */
const REUSE_MS = (TTL_SECONDS / 2) * 1000;

function keyFrom(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

/**
 * The gateway's proof to a subgraph that a request came through it: a short-lived HS256 token whose
 * audience is the subgraph's name, so a credential captured for one subgraph is useless at another. It
 * carries nothing request-specific, so the gateway signs one per subgraph every 30 s, not per request.
 */
export function createGatewayCredentialSigner(secret: string) {
  const key = keyFrom(secret);
  const current = new Map<string, { credential: Promise<string>; signedAtMs: number }>();
  return (subgraph: string): Promise<string> => {
    const now = Date.now();
    const cached = current.get(subgraph);
    if (cached && now - cached.signedAtMs < REUSE_MS) return cached.credential;
    const credential = new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience(subgraph)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(now / 1000) + TTL_SECONDS)
      .sign(key);
    current.set(subgraph, { credential, signedAtMs: now });
    credential.catch(() => current.delete(subgraph));
    return credential;
  };
}

export function createGatewayCredentialVerifier(secret: string, subgraph: string) {
  const key = keyFrom(secret);
  const verified = new VerifiedCache<true>(64);
  return async (credential: string | undefined): Promise<boolean> => {
    if (!credential) return false;
    if (verified.get(credential)) return true;
    try {
      const { payload } = await jwtVerify(credential, key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: subgraph,
        requiredClaims: ['exp'],
        clockTolerance: 5,
      });
      verified.set(credential, true, (payload.exp as number) * 1000);
      return true;
    } catch {
      return false;
    }
  };
}
