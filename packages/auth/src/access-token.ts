import { SignJWT, jwtVerify, type CryptoKey } from 'jose';
import { isScope, type Identity } from './identity.ts';
import { ACCESS_TOKEN_ALG } from './keys.ts';
import { VerifiedCache } from './verified-cache.ts';

export const TOKEN_ISSUER = 'marketplace-users';
export const TOKEN_AUDIENCE = 'marketplace';

export class InvalidTokenError extends Error {
  override readonly name = 'InvalidTokenError';
}

/** Signs short-lived access tokens. Only the users subgraph holds the private key. */
export function createAccessTokenSigner(privateKey: CryptoKey, ttlSeconds: number) {
  return async (identity: Identity): Promise<string> => {
    const claims: Record<string, unknown> = { scp: [...identity.scopes] };
    if (identity.sellerId) claims.sid = identity.sellerId;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: 'JWT' })
      .setSubject(identity.userId)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(privateKey);
  };
}

export type AccessTokenVerifier = (token: string) => Promise<Identity>;

/**
 * Verifies signature, algorithm (only EdDSA: `alg: none` and HMAC confusion are refused), issuer,
 * audience and expiry, then maps the claims to an Identity.
 */
export function createAccessTokenVerifier(publicKey: CryptoKey): AccessTokenVerifier {
  const verified = new VerifiedCache<Identity>(10_000);
  return async (token) => {
    const cached = verified.get(token);
    if (cached) return cached;
    try {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: 5,
      });
      const scopes = Array.isArray(payload.scp) ? payload.scp.filter(isScope) : [];
      const sellerId = typeof payload.sid === 'string' ? payload.sid : null;
      const identity: Identity = { userId: payload.sub as string, scopes, sellerId };
      verified.set(token, identity, (payload.exp as number) * 1000);
      return identity;
    } catch (error) {
      throw new InvalidTokenError(`access token rejected: ${(error as Error).message}`);
    }
  };
}

/** Extracts the token from an `Authorization: Bearer …` header; undefined when absent. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new InvalidTokenError('Authorization header must be "Bearer <token>"');
  return match[1];
}
