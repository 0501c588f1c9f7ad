import {
  createAccessTokenSigner,
  createGatewayCredentialSigner,
  generateKeyPairPem,
  importPrivateKey,
  type Identity,
  type Scope,
} from '@mp/auth';

export interface TestAuth {
  publicKeyPem: string;
  privateKeyPem: string;
  gatewaySecret: string;
  /** A valid access token for the identity. */
  tokenFor: (identity: Partial<Identity> & { userId: string }) => Promise<string>;
  /** A valid gateway credential for the subgraph. */
  credentialFor: (subgraph: string) => Promise<string>;
}

/** Keys and secrets for one test file, plus helpers that mint what the gateway and users would. */
export async function createTestAuth(): Promise<TestAuth> {
  const { privateKey, publicKey } = generateKeyPairPem();
  const gatewaySecret = 'test-gateway-secret-at-least-32-characters-long';
  const sign = createAccessTokenSigner(await importPrivateKey(privateKey), 300);
  const signCredential = createGatewayCredentialSigner(gatewaySecret);
  return {
    publicKeyPem: publicKey,
    privateKeyPem: privateKey,
    gatewaySecret,
    tokenFor: (identity) =>
      sign({
        userId: identity.userId,
        scopes: identity.scopes ?? (['buyer'] as Scope[]),
        sellerId: identity.sellerId ?? null,
      }),
    credentialFor: (subgraph) => signCredential(subgraph),
  };
}
