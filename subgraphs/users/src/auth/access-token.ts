import {
  createAccessTokenSigner,
  createAccessTokenVerifier,
  importPrivateKey,
  importPublicKey,
  type Identity,
  type Scope,
} from '@mp/auth';
import type { Role } from '../generated/prisma/client.ts';

export type AccessTokenSigner = (identity: Identity) => Promise<string>;

/** Claims come from the user row, never from the token being refreshed: a new shop or role shows up. */
export function identityOf(user: { id: string; roles: readonly Role[]; sellerId: string | null }): Identity {
  const scopes = user.roles.map((role) => role.toLowerCase() as Scope);
  return { userId: user.id, scopes, sellerId: scopes.includes('seller') ? user.sellerId : null };
}

/**
 * The signer for this process. It signs and verifies one probe token at start-up, so a JWT_PRIVATE_KEY
 * that does not match JWT_PUBLIC_KEY fails the start instead of every later request.
 */
export async function createSigner(env: {
  JWT_PRIVATE_KEY: string;
  JWT_PUBLIC_KEY: string;
  ACCESS_TOKEN_TTL_SECONDS: number;
}): Promise<AccessTokenSigner> {
  const sign = createAccessTokenSigner(
    await importPrivateKey(env.JWT_PRIVATE_KEY),
    env.ACCESS_TOKEN_TTL_SECONDS,
  );
  const verify = createAccessTokenVerifier(await importPublicKey(env.JWT_PUBLIC_KEY));
  try {
    await verify(await sign({ userId: 'startup-probe', scopes: [], sellerId: null }));
  } catch (error) {
    throw new Error(`users: JWT_PRIVATE_KEY does not match JWT_PUBLIC_KEY (${(error as Error).message})`, {
      cause: error,
    });
  }
  return sign;
}
