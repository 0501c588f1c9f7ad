import { encodeCursor } from '@mp/kit';
import { demoCategories, demoId, demoProducts, type DemoProduct } from '@mp/prisma/seed';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoRatings } from '../src/seed.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import { PRODUCTS, demoSeller, statementsDuring, walkAllPages, type ProductsPage } from './helpers.ts';

let catalog: TestSubgraph;

beforeAll(async () => {
  catalog = await startTestSubgraph(catalogSubgraph, inject('postgresAdminUrl'), { seed: true });
});
afterAll(async () => {
  await catalog?.stop();
});

const byId = (a: DemoProduct, b: DemoProduct) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ratings = demoRatings();
const rating = (p: DemoProduct) => ratings.get(p.id) ?? { ratingAverage: '0.00', ratingCount: 0 };
const expectedOrder: Record<string, (a: DemoProduct, b: DemoProduct) => number> = {
  NEWEST: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || -byId(a, b),
  PRICE_ASC: (a, b) => a.priceMinor - b.priceMinor || byId(a, b),
  PRICE_DESC: (a, b) => b.priceMinor - a.priceMinor || -byId(a, b),
  RATING: (a, b) =>
    Number(rating(b).ratingAverage) - Number(rating(a).ratingAverage) ||
    rating(b).ratingCount - rating(a).ratingCount ||
    -byId(a, b),
};
const idsOf = (products: readonly { id: string }[]) => products.map((p) => p.id);

describe('products listing', () => {
  it('walks every demo product exactly once with totalCount, hasNextPage and endCursor', async () => {
    const { nodes, totalCount, pages } = await walkAllPages(catalog, { first: 7 });
    expect(totalCount).toBe(demoProducts.length);
    expect(nodes).toHaveLength(demoProducts.length);
    expect(new Set(idsOf(nodes)).size).toBe(demoProducts.length);
    expect(pages).toBe(Math.ceil(demoProducts.length / 7));
  });

  it('reports no next page and a null endCursor for an empty page', async () => {
    const response = await catalog.request<ProductsPage>(PRODUCTS, {
      first: 5,
      filter: { search: 'xylophonezzz' },
    });
    expect(response.data?.products).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
    });
  });

  it.each(Object.keys(expectedOrder))(
    'walks all pages sorted by %s in the documented order',
    async (sort) => {
      const { nodes } = await walkAllPages(catalog, { first: 9, sort });
      expect(idsOf(nodes)).toEqual(idsOf([...demoProducts].sort(expectedOrder[sort])));
    },
  );

  it('sorts by NEWEST when no sort is given, and when RELEVANCE is asked for without a search', async () => {
    const newest = idsOf([...demoProducts].sort(expectedOrder.NEWEST)).slice(0, 5);
    for (const sort of [undefined, 'RELEVANCE']) {
      const response = await catalog.request<ProductsPage>(PRODUCTS, { first: 5, sort });
      expect(idsOf(response.data!.products.edges.map((e) => e.node))).toEqual(newest);
    }
  });

  it('walks a full-text search across pages by relevance without duplicates', async () => {
    const { nodes, totalCount } = await walkAllPages(catalog, { first: 2, filter: { search: 'phone' } });
    expect(totalCount).toBeGreaterThanOrEqual(5);
    expect(nodes).toHaveLength(totalCount);
    expect(new Set(idsOf(nodes)).size).toBe(totalCount);
    // Title matches (weight A) outrank the products that only mention phones in their description.
    const titleMatches = nodes.filter((n) => /phone/i.test(n.title)).length;
    expect(nodes.slice(0, titleMatches).every((n) => /phone/i.test(n.title))).toBe(true);
  });

  it('filters by a category including all its descendants', async () => {
    const electronics = demoId('category', 'Electronics');
    const subtree = new Set(
      demoCategories.filter((c) => c.id === electronics || c.parentId === electronics).map((c) => c.id),
    );
    const expected = demoProducts.filter((p) => subtree.has(p.categoryId));
    const { nodes, totalCount } = await walkAllPages(catalog, {
      first: 50,
      filter: { categoryId: electronics },
    });
    expect(totalCount).toBe(expected.length);
    expect(new Set(idsOf(nodes))).toEqual(new Set(idsOf(expected)));
    expect(new Set(nodes.map((n) => n.category.name))).toEqual(new Set(['Phones', 'Laptops', 'Audio']));
  });

  it('returns an empty page, not an error, for an unknown category', async () => {
    const response = await catalog.request<ProductsPage>(PRODUCTS, {
      first: 5,
      filter: { categoryId: 'no-such-category' },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data?.products.totalCount).toBe(0);
    expect(response.data?.products.edges).toEqual([]);
  });

  it('filters by seller', async () => {
    const fieldhouse = demoSeller('fieldhouse').id;
    const { nodes, totalCount } = await walkAllPages(catalog, {
      first: 50,
      filter: { sellerId: fieldhouse },
    });
    expect(totalCount).toBe(demoProducts.filter((p) => p.sellerId === fieldhouse).length);
    expect(nodes.every((n) => n.sellerId === fieldhouse)).toBe(true);
  });

  it('filters by an inclusive price range given as decimal strings', async () => {
    const expected = demoProducts.filter((p) => p.priceMinor >= 10_000 && p.priceMinor <= 29_900);
    const { nodes } = await walkAllPages(catalog, {
      first: 50,
      filter: { minPrice: '100', maxPrice: '299.00' },
    });
    expect(new Set(idsOf(nodes))).toEqual(new Set(idsOf(expected)));
    expect(expected.some((p) => p.priceMinor === 29_900)).toBe(true);
  });

  it('filters by stock both ways', async () => {
    for (const inStock of [true, false]) {
      const { nodes } = await walkAllPages(catalog, { first: 50, filter: { inStock } });
      expect(new Set(idsOf(nodes))).toEqual(
        new Set(idsOf(demoProducts.filter((p) => p.stock > 0 === inStock))),
      );
      expect(nodes.every((n) => n.inStock === inStock)).toBe(true);
    }
  });

  it('combines filters and paginates the combination', async () => {
    const home = demoId('category', 'Home');
    const homeIds = new Set(
      demoCategories.filter((c) => c.id === home || c.parentId === home).map((c) => c.id),
    );
    const expected = demoProducts.filter(
      (p) => homeIds.has(p.categoryId) && p.priceMinor <= 10_000 && p.stock > 0,
    );
    const filter = { categoryId: home, maxPrice: '100', inStock: true };
    const { nodes, totalCount } = await walkAllPages(catalog, { first: 3, filter, sort: 'PRICE_ASC' });
    expect(totalCount).toBe(expected.length);
    expect(idsOf(nodes)).toEqual(idsOf([...expected].sort(expectedOrder.PRICE_ASC)));
  });
});

describe('products listing input', () => {
  const firstPage = async (sort: string) =>
    (await catalog.request<ProductsPage>(PRODUCTS, { first: 1, sort })).data!.products.pageInfo.endCursor;

  it.each([
    ['first over 100', { first: 101 }, '101'],
    ['negative first', { first: -1 }, '-1'],
    ['a malformed cursor', { after: 'not-a-cursor' }, 'not-a-cursor'],
    [
      'a cursor of made-up values',
      { after: encodeCursor(['NEWEST', 'yesterday', 'x']) },
      'not a cursor this API issued',
    ],
    ['an invalid minPrice', { filter: { minPrice: 'abc' } }, 'abc'],
    ['a negative maxPrice', { filter: { maxPrice: '-5' } }, '-5'],
    ['a search over 200 characters', { filter: { search: 'a'.repeat(201) } }, '201'],
  ])('refuses %s with BAD_USER_INPUT naming the value', async (_, variables, named) => {
    const response = await catalog.request(PRODUCTS, { first: 5, ...variables });
    expect(response.status).toBeLessThan(500);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain(named);
  });

  it('refuses a cursor issued for another sort', async () => {
    const priceCursor = await firstPage('PRICE_ASC');
    const response = await catalog.request(PRODUCTS, { first: 5, after: priceCursor, sort: 'NEWEST' });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/PRICE_ASC.*NEWEST/);
  });

  it('accepts a search of exactly 200 characters', async () => {
    const response = await catalog.request<ProductsPage>(PRODUCTS, {
      first: 5,
      filter: { search: 'a'.repeat(200) },
    });
    expect(response.errors).toBeUndefined();
  });
});

describe('product and categories', () => {
  const PRODUCT = `query($id: ID!) { product(id: $id) { id title price { amount currencyCode } stock inStock images
    attributes { name value } category { id name } sellerId createdAt updatedAt } }`;

  it('returns a product with its catalog fields', async () => {
    const demo = demoProducts[0]!;
    const response = await catalog.request<{ product: Record<string, unknown> }>(PRODUCT, { id: demo.id });
    expect(response.data?.product).toEqual({
      id: demo.id,
      title: demo.title,
      price: { amount: (demo.priceMinor / 100).toFixed(2), currencyCode: 'EUR' },
      stock: demo.stock,
      inStock: demo.stock > 0,
      images: demo.images,
      attributes: Object.entries(demo.attributes).map(([name, value]) => ({ name, value })),
      category: { id: demo.categoryId, name: demoCategories.find((c) => c.id === demo.categoryId)!.name },
      sellerId: demo.sellerId,
      createdAt: demo.createdAt.toISOString(),
      updatedAt: demo.createdAt.toISOString(),
    });
  });

  it('returns null for an unknown product id of any shape', async () => {
    for (const id of ['no-such-product', '00000000-0000-4000-a000-000000000000', 'x'.repeat(500)]) {
      const response = await catalog.request<{ product: unknown }>(PRODUCT, { id });
      expect(response.errors).toBeUndefined();
      expect(response.data?.product).toBeNull();
    }
  });

  it('lists the whole category tree with parents and children in one statement', async () => {
    type Tree = {
      categories: { id: string; name: string; parent: { id: string } | null; children: { id: string }[] }[];
    };
    let response: Awaited<ReturnType<typeof catalog.request<Tree>>> | undefined;
    const statements = await statementsDuring(catalog, async () => {
      response = await catalog.request<Tree>(`{ categories { id name parent { id } children { id } } }`);
    });
    const categories = response!.data!.categories;
    expect(categories).toHaveLength(demoCategories.length);
    for (const demo of demoCategories) {
      const found = categories.find((c) => c.id === demo.id)!;
      expect(found.parent?.id ?? null).toBe(demo.parentId);
      expect(new Set(found.children.map((c) => c.id))).toEqual(
        new Set(demoCategories.filter((c) => c.parentId === demo.id).map((c) => c.id)),
      );
    }
    expect(statements).toBe(1);
  });
});

describe('batching', () => {
  const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
    ... on Product { id title price { amount } inStock category { id name parent { id } } } } }`;
  const products = (n: number) => demoProducts.slice(0, n).map((p) => ({ __typename: 'Product', id: p.id }));

  async function cost(query: string, variables: Record<string, unknown>): Promise<number> {
    await catalog.request(query, variables); // warm the pool's connections
    return statementsDuring(catalog, async () => {
      const response = await catalog.request<Record<string, unknown>>(query, variables);
      expect(response.errors).toBeUndefined();
    });
  }

  it('resolves 50 product entities with the same number of SQL statements as 10', async () => {
    const ten = await cost(ENTITIES, { representations: products(10) });
    const fifty = await cost(ENTITIES, { representations: products(50) });
    expect(fifty).toBe(ten);
    expect(ten).toBeLessThanOrEqual(3);
  });

  it('pages 50 products with the same number of SQL statements as 10', async () => {
    const ten = await cost(PRODUCTS, { first: 10 });
    const fifty = await cost(PRODUCTS, { first: 50 });
    expect(fifty).toBe(ten);
    expect(ten).toBeLessThanOrEqual(3);
  });

  const SELLER_PRODUCTS = `query($representations: [_Any!]!, $after: String) { _entities(representations: $representations) {
    ... on Seller { id products(first: 4, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id sellerId } } } } } }`;
  type SellerPages = {
    _entities: {
      id: string;
      products: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { id: string; sellerId: string } }[];
      };
    }[];
  };
  const shops = (['northwind', 'atelier', 'fieldhouse'] as const).map((k) => demoSeller(k).id);

  it('loads the first page of many shops in one statement, each with its own total', async () => {
    const one = await cost(SELLER_PRODUCTS, { representations: [{ __typename: 'Seller', id: shops[0] }] });
    const three = await cost(SELLER_PRODUCTS, {
      representations: shops.map((id) => ({ __typename: 'Seller', id })),
    });
    expect(three).toBe(one);
    expect(one).toBe(1);
    const response = await catalog.request<SellerPages>(SELLER_PRODUCTS, {
      representations: [...shops, 'unknown-shop'].map((id) => ({ __typename: 'Seller', id })),
    });
    for (const [index, shopId] of shops.entries()) {
      const own = [...demoProducts].filter((p) => p.sellerId === shopId).sort(expectedOrder.NEWEST);
      const connection = response.data!._entities[index]!.products;
      expect(connection.totalCount).toBe(own.length);
      expect(connection.edges.map((e) => e.node.id)).toEqual(idsOf(own.slice(0, 4)));
      expect(connection.pageInfo.hasNextPage).toBe(true);
    }
    expect(response.data!._entities[3]!.products).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("walks one shop's products page by page with after", async () => {
    const shop = shops[2]!;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: Awaited<ReturnType<typeof catalog.request<SellerPages>>> =
        await catalog.request<SellerPages>(SELLER_PRODUCTS, {
          representations: [{ __typename: 'Seller', id: shop }],
          after,
        });
      const connection = response.data!._entities[0]!.products;
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(idsOf(demoProducts.filter((p) => p.sellerId === shop).sort(expectedOrder.NEWEST)));
  });
});

describe('gateway credential', () => {
  it('refuses a request without the gateway credential', async () => {
    const response = await catalog.request(PRODUCTS, { first: 1 }, { credential: false });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(response.data ?? null).toBeNull();
  });

  it('refuses a request with a forged gateway credential', async () => {
    const response = await catalog.request(PRODUCTS, { first: 1 }, { credential: 'forged.credential.value' });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
