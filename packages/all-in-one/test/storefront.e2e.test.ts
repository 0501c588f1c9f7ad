import { contractOperation, type GatewayClient } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { DEMO, login, registerBuyer } from './helpers.ts';
import { useTestSystem, type TestSystem } from './system.ts';

let system: TestSystem;
let client: GatewayClient;

useTestSystem((s, c) => {
  system = s;
  client = c;
});

async function statementsFor(first: number): Promise<Record<string, number>> {
  const before = await system.statements();
  const data = await client.data<{ products: { edges: unknown[] } }>(contractOperation('Storefront'), {
    first,
  });
  expect(data.products.edges).toHaveLength(first);
  const after = await system.statements();
  return Object.fromEntries(Object.entries(after).map(([db, n]) => [db, n - (before[db] ?? 0)]));
}

describe('batching across the supergraph', () => {
  it('costs the same number of SQL statements per subgraph for Storefront first 10 and first 50', async () => {
    await statementsFor(10); // warm-up: connection set-up statements are not part of the comparison
    const ten = await statementsFor(10);
    const fifty = await statementsFor(50);
    // The databases Storefront reads; others (the payments worker's polling) count background work.
    for (const database of ['catalog', 'sellers', 'reviews', 'users']) {
      expect(ten[database], database).toBeGreaterThan(0);
      expect(fifty[database], database).toBe(ten[database]);
    }
  });
});

describe('bad input through the gateway', () => {
  it('answers bad registrations with userErrors and creates no account', async () => {
    for (const input of [
      { email: 'not-an-email', password: 'a-long-enough-password', name: 'X' },
      { email: 'short@example.test', password: 'short', name: 'X' },
      { email: 'long@example.test', password: 'a-long-enough-password', name: 'n'.repeat(5_000) },
    ]) {
      const response = await client.request<{
        register: { accessToken: null; userErrors: { code: string }[] };
      }>(contractOperation('Register'), { input });
      expect(response.status).toBe(200);
      expect(response.data!.register.accessToken).toBeNull();
      expect(response.data!.register.userErrors.length).toBeGreaterThan(0);
      const retry = await client.data<{ login: { userErrors: { code: string }[] } }>(
        contractOperation('Login'),
        {
          input: { email: input.email, password: input.password },
        },
      );
      expect(retry.login.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('answers bad products with userErrors and writes nothing', async () => {
    const seller = await login(client, DEMO.seller);
    const countMine = async () => {
      const { me } = await client.data<{ me: { seller: { id: string } } }>(
        contractOperation('Me'),
        {},
        seller.accessToken,
      );
      const { products } = await client.data<{ products: { totalCount: number } }>(
        'query($s: ID!) { products(first: 1, filter: { sellerId: $s }) { totalCount } }',
        { s: me.seller.id },
      );
      return products.totalCount;
    };
    const before = await countMine();
    const { categories } = await client.data<{ categories: { id: string }[] }>(
      contractOperation('Categories'),
    );
    const valid = {
      title: 'Thing',
      description: 'A thing',
      price: '9.99',
      currencyCode: 'EUR',
      categoryId: categories[0]!.id,
      stock: 1,
    };
    for (const change of [
      { price: '-1.00' },
      { price: 'ten euros' },
      { stock: -1 },
      { categoryId: 'no-such-category' },
      { title: 't'.repeat(10_000) },
      { currencyCode: 'XYZ' },
    ]) {
      const response = await client.request<{
        createProduct: { product: null; userErrors: { code: string }[] };
      }>(contractOperation('CreateProduct'), { input: { ...valid, ...change } }, seller.accessToken);
      expect(response.status, JSON.stringify(change)).toBe(200);
      expect(response.data!.createProduct.product, JSON.stringify(change)).toBeNull();
      expect(response.data!.createProduct.userErrors.length, JSON.stringify(change)).toBeGreaterThan(0);
    }
    expect(await countMine()).toBe(before);
  });

  it('refuses a malformed cursor, and first over 100 with BAD_USER_INPUT, never a 500', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ first: 10, after: 'definitely-not-a-cursor' }, 'BAD_USER_INPUT'],
      [{ first: 101 }, 'BAD_USER_INPUT'],
      [{ first: -1 }, 'BAD_USER_INPUT'],
      [{ first: 5, filter: { minPrice: 'cheap' } }, 'BAD_USER_INPUT'],
    ];
    for (const [variables, code] of cases) {
      const response = await client.request(contractOperation('Storefront'), variables);
      expect(response.status, JSON.stringify(variables)).toBeLessThan(500);
      expect(response.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe(code);
    }
  });

  it('rejects a refresh token that was never issued without revealing anything', async () => {
    const buyer = await registerBuyer(client);
    const response = await client.data<{
      refreshSession: { accessToken: null; userErrors: { code: string }[] };
    }>(contractOperation('RefreshSession'), { refreshToken: `${buyer.refreshToken}x` });
    expect(response.refreshSession.userErrors[0]?.code).toBe('INVALID_REFRESH_TOKEN');
  });
});

describe('operations endpoints', () => {
  it('answers GET /health with 200 when every subgraph is reachable', async () => {
    const response = await fetch(new URL('/health', system.gatewayUrl));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subgraphs: { name: string; ok: boolean }[] };
    expect(body.subgraphs.map((s) => s.name).sort()).toEqual([
      'catalog',
      'orders',
      'payments',
      'recommendations',
      'reviews',
      'sellers',
      'shipments',
      'users',
    ]);
  });

  it('serves the Apollo Sandbox landing page for its own endpoint to browsers', async () => {
    const response = await fetch(system.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/embeddable-sandbox/);
    expect(html).toMatch(/initialEndpoint/);
  });
});
