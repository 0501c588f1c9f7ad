import { generateKeyPairPem, importPrivateKey, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@mp/auth';
import { contractOperation, type GatewayClient } from '@mp/testkit';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEMO, login } from './helpers.ts';
import { useTestSystem, type TestSystem } from './system.ts';

let system: TestSystem;
let client: GatewayClient;

useTestSystem((s, c) => {
  system = s;
  client = c;
});

const FIRST_PRODUCT_OF_SELLER = `query($sellerId: ID!) {
  products(first: 1, filter: { sellerId: $sellerId }) { edges { node { id title stock price { amount } } } }
}`;

async function firstProductOf(sellerToken: string) {
  const { me } = await client.data<{ me: { seller: { id: string } } }>(
    contractOperation('Me'),
    {},
    sellerToken,
  );
  const data = await client.data<{
    products: { edges: { node: { id: string; title: string; stock: number } }[] };
  }>(FIRST_PRODUCT_OF_SELLER, { sellerId: me.seller.id });
  return data.products.edges[0]!.node;
}

describe('access control', () => {
  it('does not let a seller change another shop’s product, and nothing changes', async () => {
    const northwind = await login(client, DEMO.seller);
    const atelier = await login(client, DEMO.seller2);
    const target = await firstProductOf(northwind.accessToken);

    const update = await client.data<{ updateProduct: { product: null; userErrors: { code: string }[] } }>(
      contractOperation('UpdateProduct'),
      { id: target.id, input: { title: 'Hijacked' } },
      atelier.accessToken,
    );
    expect(update.updateProduct.product).toBeNull();
    expect(update.updateProduct.userErrors[0]?.code).toBe('NOT_FOUND');
    const stock = await client.data<{ setStock: { product: null; userErrors: { code: string }[] } }>(
      contractOperation('SetStock'),
      { productId: target.id, quantity: 999 },
      atelier.accessToken,
    );
    expect(stock.setStock.userErrors[0]?.code).toBe('NOT_FOUND');

    const after = await firstProductOf(northwind.accessToken);
    expect(after).toEqual(target);
  });

  it('refuses an anonymous createProduct as UNAUTHENTICATED and a buyer’s as FORBIDDEN', async () => {
    const input = {
      title: 'x',
      description: 'y',
      price: '1.00',
      currencyCode: 'EUR',
      categoryId: 'none',
      stock: 1,
    };
    const anonymous = await client.request(contractOperation('CreateProduct'), { input });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const buyer = await login(client, DEMO.buyer);
    const asBuyer = await client.request(contractOperation('CreateProduct'), { input }, buyer.accessToken);
    expect(asBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses requests straight to a subgraph without the gateway credential, _entities included', async () => {
    for (const subgraph of system.subgraphs) {
      for (const query of [
        '{ __typename }',
        '{ _entities(representations: [{ __typename: "Seller", id: "x" }]) { __typename } }',
      ]) {
        const response = await fetch(subgraph.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query }),
        });
        expect(response.status, `${subgraph.name} answered ${response.status}`).toBe(403);
        const body = (await response.json()) as {
          data?: unknown;
          errors: { extensions: { code: string } }[];
        };
        expect(body.data).toBeUndefined();
        expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
      }
    }
  });

  it('revokes the whole session family when a refresh token is used twice', async () => {
    const session = await login(client, DEMO.buyer);
    const refresh = (refreshToken: string) =>
      client.data<{
        refreshSession: {
          accessToken: string | null;
          refreshToken: string | null;
          userErrors: { code: string }[];
        };
      }>(contractOperation('RefreshSession'), { refreshToken });
    const first = await refresh(session.refreshToken);
    expect(first.refreshSession.userErrors).toEqual([]);
    const reuse = await refresh(session.refreshToken);
    expect(reuse.refreshSession.accessToken).toBeNull();
    expect(reuse.refreshSession.userErrors[0]?.code).toBe('TOKEN_REUSED');
    const successor = await refresh(first.refreshSession.refreshToken!);
    expect(successor.refreshSession.accessToken).toBeNull();
  });
});

describe('token verification at the gateway', () => {
  const claims = { scp: ['buyer', 'admin'] };
  const me = '{ me { id } }';

  it('refuses expired, forged and alg:none tokens with 401', async () => {
    const user = await login(client, DEMO.buyer);
    const realKey = await importPrivateKey(system.secrets.jwtPrivateKey);
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(user.user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 1800)
      .sign(realKey);
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(user.user.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('5m')
      .sign(await importPrivateKey(generateKeyPairPem().privateKey));
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const algNone = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
      ...claims,
      sub: user.user.id,
      iss: TOKEN_ISSUER,
      aud: TOKEN_AUDIENCE,
      exp: Math.floor(Date.now() / 1000) + 300,
    })}.`;
    for (const token of [expired, forged, algNone, 'not-a-jwt']) {
      const response = await client.request(me, {}, token);
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(response.data ?? null).toBeNull();
    }
    const valid = await client.request(me, {}, user.accessToken);
    expect(valid.status).toBe(200);
  });
});

describe('query limits', () => {
  async function refusedBeforeExecution(query: string): Promise<void> {
    const before = await system.statements();
    const response = await client.request(query);
    expect(response.status).toBe(400);
    expect(['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']).toContain(
      response.errors?.[0]?.extensions?.code,
    );
    expect(response.data ?? null).toBeNull();
    expect(await system.statements()).toEqual(before);
  }

  it('refuses 100 aliases before execution', async () => {
    const fields = Array.from({ length: 100 }, (_, i) => `a${i}: categories { id }`).join(' ');
    await refusedBeforeExecution(`{ ${fields} }`);
  });

  it('refuses a depth-20 query before execution', async () => {
    let selection = 'id';
    for (let i = 0; i < 19; i += 1) selection = `parent { ${selection} }`;
    await refusedBeforeExecution(`{ categories { ${selection} } }`);
  });

  it('refuses a 5,000-token document before execution', async () => {
    const fields = Array.from({ length: 2_500 }, () => 'id').join(' ');
    await refusedBeforeExecution(`{ categories { ${fields} } }`);
  });

  it('runs the largest contract queries of this release under the limits', async () => {
    // (gateway/test/limits.test.ts checks every contract operation, later releases' too, against the rules.)
    for (const name of ['Storefront', 'Me', 'Categories']) {
      const response = await client.request(contractOperation(name), { first: 50, id: 'unknown' });
      const codes = (response.errors ?? []).map((e) => e.extensions?.code);
      expect(codes, name).not.toContain('GRAPHQL_VALIDATION_FAILED');
      expect(codes, name).not.toContain('GRAPHQL_PARSE_FAILED');
    }
  });
});
