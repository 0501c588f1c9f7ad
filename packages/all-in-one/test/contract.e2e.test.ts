import { contractOperation, type GatewayClient } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { claimsOf, eventually, login, registerBuyer } from './helpers.ts';
import { useTestSystem } from './system.ts';

let client: GatewayClient;

useTestSystem((_system, c) => {
  client = c;
});

interface ProductNode {
  id: string;
  title: string;
  price: { amount: string; currencyCode: string };
  inStock: boolean;
  category: { id: string; name: string };
  seller: { id: string; name: string; rating: { average: number | null; count: number } };
  rating: { average: number | null; count: number };
  reviews: {
    edges: { node: { id: string; rating: number; title: string; author: { id: string; name: string } } }[];
  };
}
interface StorefrontData {
  products: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ProductNode }[];
  };
}

describe('the storefront contract through the gateway', () => {
  it('serves Storefront(first: 50) with seller, rating and reviews from their owning subgraphs', async () => {
    const data = await client.data<StorefrontData>(contractOperation('Storefront'), { first: 50 });
    expect(data.products.edges).toHaveLength(50);
    expect(data.products.totalCount).toBeGreaterThanOrEqual(60);
    expect(data.products.pageInfo.hasNextPage).toBe(true);
    for (const { node } of data.products.edges) {
      expect(node.seller.name).toMatch(/\w/);
      expect(node.category.name).toMatch(/\w/);
      expect(node.rating.count).toBeGreaterThanOrEqual(0);
      expect(node.price.amount).toMatch(/^\d+\.\d{2}$/);
    }
    const reviewed = data.products.edges.filter((e) => e.node.reviews.edges.length > 0);
    expect(reviewed.length).toBeGreaterThan(0);
    expect(reviewed[0]!.node.reviews.edges[0]!.node.author.name).toMatch(/\w/);
    expect(data.products.edges.some((e) => e.node.seller.rating.count > 0)).toBe(true);
  });

  it('pages through every product with the cursor, without duplicates', async () => {
    const seen = new Set<string>();
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 10; page += 1) {
      const data: StorefrontData = await client.data<StorefrontData>(contractOperation('Storefront'), {
        first: 25,
        after,
      });
      total = data.products.totalCount;
      for (const edge of data.products.edges) seen.add(edge.node.id);
      if (!data.products.pageInfo.hasNextPage) break;
      after = data.products.pageInfo.endCursor;
    }
    expect(seen.size).toBe(total);
  });

  it('filters by search, category, price and stock, and sorts by price', async () => {
    const search = await client.data<StorefrontData>(contractOperation('Storefront'), {
      first: 5,
      filter: { search: 'headphones' },
      sort: 'RELEVANCE',
    });
    expect(search.products.edges[0]?.node.title).toMatch(/Headphones/);

    const { categories } = await client.data<{
      categories: { id: string; name: string; children: { id: string }[] }[];
    }>(contractOperation('Categories'));
    const electronics = categories.find((c) => c.name === 'Electronics')!;
    expect(electronics.children.length).toBe(3);
    const inElectronics = await client.data<StorefrontData>(contractOperation('Storefront'), {
      first: 100,
      filter: { categoryId: electronics.id },
    });
    const childIds = new Set(electronics.children.map((c) => c.id));
    expect(inElectronics.products.totalCount).toBeGreaterThan(10);
    expect(inElectronics.products.edges.every((e) => childIds.has(e.node.category.id))).toBe(true);

    const cheapInStock = await client.data<StorefrontData>(contractOperation('Storefront'), {
      first: 100,
      filter: { minPrice: '10.00', maxPrice: '50.00', inStock: true },
      sort: 'PRICE_ASC',
    });
    const prices = cheapInStock.products.edges.map((e) => Number(e.node.price.amount));
    expect(prices.length).toBeGreaterThan(0);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(prices.every((p) => p >= 10 && p <= 50)).toBe(true);
    expect(cheapInStock.products.edges.every((e) => e.node.inStock)).toBe(true);
  });

  it('registers, logs in, reads Me, refreshes and logs out', async () => {
    const session = await registerBuyer(client);
    const { me } = await client.data<{ me: { id: string; email: string; roles: string[]; seller: null } }>(
      contractOperation('Me'),
      {},
      session.accessToken,
    );
    expect(me).toMatchObject({
      id: session.user.id,
      email: session.user.email,
      roles: ['BUYER'],
      seller: null,
    });

    const again = await login(client, { email: session.user.email, password: 'a-long-enough-password' });
    expect(again.user.id).toBe(session.user.id);

    const { refreshSession } = await client.data<{
      refreshSession: { accessToken: string; refreshToken: string; userErrors: unknown[] };
    }>(contractOperation('RefreshSession'), { refreshToken: again.refreshToken });
    expect(refreshSession.userErrors).toEqual([]);
    expect(refreshSession.refreshToken).not.toBe(again.refreshToken);

    const { logout } = await client.data<{ logout: { success: boolean } }>(contractOperation('Logout'), {
      refreshToken: refreshSession.refreshToken,
    });
    expect(logout.success).toBe(true);
    const afterLogout = await client.data<{
      refreshSession: { accessToken: string | null; userErrors: { code: string }[] };
    }>(contractOperation('RefreshSession'), { refreshToken: refreshSession.refreshToken });
    expect(afterLogout.refreshSession.accessToken).toBeNull();
    expect(afterLogout.refreshSession.userErrors.length).toBe(1);
  });

  it('opens a shop, gets a seller token, and creates, updates and restocks a product', async () => {
    const session = await registerBuyer(client);
    const { createSeller } = await client.data<{
      createSeller: { seller: { id: string; name: string; status: string }; userErrors: unknown[] };
    }>(
      contractOperation('CreateSeller'),
      { input: { name: `E2E Shop ${Date.now()}`, description: 'Test shop' } },
      session.accessToken,
    );
    expect(createSeller.userErrors).toEqual([]);
    expect(createSeller.seller.status).toBe('ACTIVE');
    const sellerId = createSeller.seller.id;

    // The users subgraph learns of the shop through the seller.created event; refresh until the token has it.
    let refreshToken = session.refreshToken;
    const sellerToken = await eventually(async () => {
      const { refreshSession } = await client.data<{
        refreshSession: { accessToken: string; refreshToken: string };
      }>(contractOperation('RefreshSession'), { refreshToken });
      refreshToken = refreshSession.refreshToken;
      return claimsOf(refreshSession.accessToken).sid === sellerId ? refreshSession.accessToken : undefined;
    });
    expect(claimsOf(sellerToken).scp).toContain('seller');

    const { me } = await client.data<{ me: { roles: string[]; seller: { id: string; status: string } } }>(
      contractOperation('Me'),
      {},
      sellerToken,
    );
    expect(me.roles).toContain('SELLER');
    expect(me.seller).toMatchObject({ id: sellerId, status: 'ACTIVE' });

    const { categories } = await client.data<{ categories: { id: string; name: string }[] }>(
      contractOperation('Categories'),
    );
    const books = categories.find((c) => c.name === 'Books')!;
    const { createProduct } = await client.data<{
      createProduct: {
        product: { id: string; stock: number; price: { amount: string }; seller: { id: string } };
        userErrors: unknown[];
      };
    }>(
      contractOperation('CreateProduct'),
      {
        input: {
          title: 'E2E Field Notes',
          description: 'A notebook',
          price: '12.50',
          currencyCode: 'EUR',
          categoryId: books.id,
          stock: 3,
        },
      },
      sellerToken,
    );
    expect(createProduct.userErrors).toEqual([]);
    expect(createProduct.product).toMatchObject({
      stock: 3,
      price: { amount: '12.50' },
      seller: { id: sellerId },
    });
    const productId = createProduct.product.id;

    const { updateProduct } = await client.data<{
      updateProduct: { product: { title: string; price: { amount: string } } };
    }>(
      contractOperation('UpdateProduct'),
      { id: productId, input: { title: 'E2E Field Notes (2nd ed.)', price: '14.00' } },
      sellerToken,
    );
    expect(updateProduct.product).toMatchObject({
      title: 'E2E Field Notes (2nd ed.)',
      price: { amount: '14.00' },
    });

    const { setStock } = await client.data<{ setStock: { product: { stock: number; inStock: boolean } } }>(
      contractOperation('SetStock'),
      { productId, quantity: 0 },
      sellerToken,
    );
    expect(setStock.product).toEqual({ id: productId, stock: 0, inStock: false });
  });
});
