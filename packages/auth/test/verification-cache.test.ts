import { describe, expect, it } from 'vitest';
import {
  createAccessTokenSigner,
  createAccessTokenVerifier,
  createGatewayCredentialSigner,
  createGatewayCredentialVerifier,
  generateKeyPairPem,
  importPrivateKey,
  importPublicKey,
} from '../src/index.ts';
import { VerifiedCache } from '../src/verified-cache.ts';

const SECRET = 'a-gateway-secret-of-at-least-32-characters';

describe('verified-token cache', () => {
  it('forgets a token at its expiry', () => {
    const cache = new VerifiedCache<string>(10);
    cache.set('t', 'identity', 1_000);
    expect(cache.get('t', 999)).toBe('identity');
    expect(cache.get('t', 1_000)).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new VerifiedCache<number>(3);
    for (let i = 0; i < 10; i += 1) cache.set(`t${i}`, i, Number.MAX_SAFE_INTEGER);
    expect(cache.get('t0')).toBeUndefined();
    expect(cache.get('t9')).toBe(9);
  });
});

describe('gateway credentials', () => {
  it('are signed once per subgraph and reused, and verified only for their own subgraph', async () => {
    const sign = createGatewayCredentialSigner(SECRET);
    const catalog = await sign('catalog');
    expect(await sign('catalog')).toBe(catalog);
    expect(await sign('users')).not.toBe(catalog);
    expect(await createGatewayCredentialVerifier(SECRET, 'catalog')(catalog)).toBe(true);
    expect(await createGatewayCredentialVerifier(SECRET, 'users')(catalog)).toBe(false);
    expect(
      await createGatewayCredentialVerifier('another-secret-of-at-least-32-chars!!', 'catalog')(catalog),
    ).toBe(false);
  });

  it('refuse a tampered credential even after the genuine one was cached', async () => {
    const credential = await createGatewayCredentialSigner(SECRET)('catalog');
    const verify = createGatewayCredentialVerifier(SECRET, 'catalog');
    expect(await verify(credential)).toBe(true);
    expect(await verify(`${credential.slice(0, -2)}xx`)).toBe(false);
  });
});

describe('access tokens', () => {
  it('verify from the cache with the same identity, and a forged signature is still refused', async () => {
    const { privateKey, publicKey } = generateKeyPairPem();
    const token = await createAccessTokenSigner(
      await importPrivateKey(privateKey),
      60,
    )({
      userId: 'u1',
      scopes: ['buyer', 'seller'],
      sellerId: 's1',
    });
    const verify = createAccessTokenVerifier(await importPublicKey(publicKey));
    const first = await verify(token);
    expect(await verify(token)).toEqual(first);
    expect(first).toEqual({ userId: 'u1', scopes: ['buyer', 'seller'], sellerId: 's1' });
    await expect(verify(`${token.slice(0, -3)}abc`)).rejects.toThrow(/access token rejected/);
  });
});
