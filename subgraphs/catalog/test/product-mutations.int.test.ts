import { demoId, demoProducts } from '@mp/prisma/seed';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, type CatalogDb } from '../src/db.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import { buyer, demoSeller, sellerIdentity } from './helpers.ts';

let catalog: TestSubgraph;
let db: CatalogDb;

useTestSubgraph(catalogSubgraph, { seed: true, open: openDb }, (started, opened) => {
  catalog = started;
  db = opened;
});

const northwind = sellerIdentity('northwind');
const atelier = sellerIdentity('atelier');
const phones = demoId('category', 'Phones');
const atelierProduct = demoProducts.find((p) => p.sellerId === demoSeller('atelier').id)!;

interface UserError {
  field: string[] | null;
  message: string;
  code: string;
}
interface Payload {
  product: {
    id: string;
    title: string;
    description: string;
    stock: number;
    inStock: boolean;
    sellerId: string;
    price: { amount: string; currencyCode: string };
    category: { id: string };
    images: string[];
    attributes: { name: string; value: string }[];
  } | null;
  userErrors: UserError[];
}
const PRODUCT_FIELDS = `product { id title description stock inStock sellerId price { amount currencyCode } category { id } images attributes { name value } }
  userErrors { field message code }`;
const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { ${PRODUCT_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { ${PRODUCT_FIELDS} } }`;
const SET_STOCK = `mutation($productId: ID!, $quantity: Int!) { setStock(productId: $productId, quantity: $quantity) { ${PRODUCT_FIELDS} } }`;

const validInput = {
  title: 'Pocket Radio',
  description: 'A tiny FM radio with a headphone jack.',
  price: '24.5',
  currencyCode: 'EUR',
  categoryId: demoId('category', 'Audio'),
  stock: 12,
};

const productCount = () => db.prisma.product.count();
const rowOf = (id: string) => db.prisma.product.findUniqueOrThrow({ where: { id } });

async function create(
  input: Record<string, unknown>,
  as: Parameters<TestSubgraph['request']>[2] = { as: northwind },
) {
  const response = await catalog.request<{ createProduct: Payload }>(CREATE, { input }, as);
  expect(response.errors).toBeUndefined();
  return response.data!.createProduct;
}

describe('createProduct', () => {
  it("creates a product in the caller's own shop, visible in listings and by id", async () => {
    const payload = await create({
      ...validInput,
      images: ['https://cdn.example.com/radio.jpg'],
      attributes: [
        { name: 'colour', value: 'red' },
        { name: 'band', value: 'FM' },
      ],
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.product).toMatchObject({
      title: 'Pocket Radio',
      stock: 12,
      inStock: true,
      sellerId: northwind.sellerId,
      price: { amount: '24.50', currencyCode: 'EUR' },
      images: ['https://cdn.example.com/radio.jpg'],
      attributes: [
        { name: 'colour', value: 'red' },
        { name: 'band', value: 'FM' },
      ],
    });
    const id = payload.product!.id;
    const byId = await catalog.request<{ product: { id: string } | null }>(
      `query($id: ID!) { product(id: $id) { id } }`,
      { id },
    );
    expect(byId.data?.product?.id).toBe(id);
    const listed = await catalog.request<{ products: { edges: { node: { id: string } }[] } }>(
      `query($f: ProductFilter) { products(first: 1, filter: $f) { edges { node { id } } } }`,
      { f: { search: 'pocket radio' } },
    );
    expect(listed.data?.products.edges[0]?.node.id).toBe(id);
  });

  it('refuses an anonymous caller with UNAUTHENTICATED and a buyer with FORBIDDEN, writing nothing', async () => {
    const before = await productCount();
    const anonymous = await catalog.request(CREATE, { input: validInput });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const asBuyer = await catalog.request(CREATE, { input: validInput }, { as: buyer });
    expect(asBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await productCount()).toBe(before);
  });

  it.each([
    ['an empty title', { title: '   ' }, ['input', 'title'], 'INVALID_INPUT'],
    ['a 201-character title', { title: 'x'.repeat(201) }, ['input', 'title'], 'INVALID_INPUT'],
    [
      'a description over 5,000 characters',
      { description: 'x'.repeat(5001) },
      ['input', 'description'],
      'INVALID_INPUT',
    ],
    ['a negative price', { price: '-1.00' }, ['input', 'price'], 'INVALID_AMOUNT'],
    ['a garbage price', { price: 'cheap' }, ['input', 'price'], 'INVALID_AMOUNT'],
    ['a price with too many decimals', { price: '1.999' }, ['input', 'price'], 'INVALID_AMOUNT'],
    ['an unknown currency', { currencyCode: 'XYZ' }, ['input', 'currencyCode'], 'INVALID_CURRENCY'],
    ['a lower-case currency', { currencyCode: 'eur' }, ['input', 'currencyCode'], 'INVALID_CURRENCY'],
    ['a negative stock', { stock: -1 }, ['input', 'stock'], 'INVALID_INPUT'],
    ['a stock over 1,000,000', { stock: 1_000_001 }, ['input', 'stock'], 'INVALID_INPUT'],
    ['an unknown category', { categoryId: 'no-such-category' }, ['input', 'categoryId'], 'UNKNOWN_CATEGORY'],
    [
      '11 images',
      { images: Array.from({ length: 11 }, (_, i) => `https://cdn.example.com/${i}.jpg`) },
      ['input', 'images'],
      'INVALID_INPUT',
    ],
    [
      'an http image URL',
      { images: ['http://cdn.example.com/a.jpg'] },
      ['input', 'images', '0'],
      'INVALID_INPUT',
    ],
    [
      'an image that is not a URL',
      { images: ['https://ok.example.com/a.jpg', 'not a url'] },
      ['input', 'images', '1'],
      'INVALID_INPUT',
    ],
    [
      'a duplicate attribute name',
      {
        attributes: [
          { name: 'a', value: '1' },
          { name: 'a', value: '2' },
        ],
      },
      ['input', 'attributes', '1', 'name'],
      'INVALID_INPUT',
    ],
  ])('rejects %s with a userError and writes nothing', async (_, change, field, code) => {
    const before = await productCount();
    const payload = await create({ ...validInput, ...change });
    expect(payload.product).toBeNull();
    expect(payload.userErrors).toEqual([expect.objectContaining({ field, code })]);
    expect(await productCount()).toBe(before);
  });

  it('reports every problem of an input at once', async () => {
    const payload = await create({ ...validInput, title: '', price: 'abc', stock: -5, categoryId: 'nope' });
    expect(payload.userErrors.map((e) => e.field?.join('.'))).toEqual(
      expect.arrayContaining(['input.title', 'input.price', 'input.stock', 'input.categoryId']),
    );
  });

  it('names the bad value in the message', async () => {
    const payload = await create({ ...validInput, price: 'twelve' });
    expect(payload.userErrors[0]?.message).toContain('"twelve"');
  });

  it('refuses a shop that catalog does not know as ACTIVE with SELLER_NOT_ACTIVE', async () => {
    const before = await productCount();
    const stranger = {
      userId: 'u-new',
      scopes: ['buyer' as const, 'seller' as const],
      sellerId: 'shop-unknown-to-catalog',
    };
    const payload = await create(validInput, { as: stranger });
    expect(payload.userErrors).toEqual([expect.objectContaining({ code: 'SELLER_NOT_ACTIVE' })]);
    expect(await productCount()).toBe(before);
  });
});

describe('updateProduct and setStock', () => {
  let own: string;
  beforeAll(async () => {
    own = (await create({ ...validInput, title: 'Own product', currencyCode: 'JPY', price: '1500' })).product!
      .id;
  });

  it("updates the caller's own product; the price keeps the product's currency", async () => {
    const response = await catalog.request<{ updateProduct: Payload }>(
      UPDATE,
      { id: own, input: { title: 'Renamed', price: '1999', categoryId: phones } },
      { as: northwind },
    );
    expect(response.data?.updateProduct.userErrors).toEqual([]);
    expect(response.data?.updateProduct.product).toMatchObject({
      title: 'Renamed',
      price: { amount: '1999', currencyCode: 'JPY' },
      category: { id: phones },
      description: validInput.description,
    });
    expect((await rowOf(own)).priceMinor).toBe(1999n);
  });

  it('rejects a price with decimals the currency does not have', async () => {
    const response = await catalog.request<{ updateProduct: Payload }>(
      UPDATE,
      { id: own, input: { price: '10.5' } },
      { as: northwind },
    );
    expect(response.data?.updateProduct.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'price'], code: 'INVALID_AMOUNT' }),
    ]);
  });

  it.each([
    ['an empty title', { title: '' }, 'INVALID_INPUT'],
    ['a garbage price', { price: '1,5' }, 'INVALID_AMOUNT'],
    ['an unknown category', { categoryId: 'nope' }, 'UNKNOWN_CATEGORY'],
  ])('rejects an update with %s and changes nothing', async (_, input, code) => {
    const before = await rowOf(own);
    const response = await catalog.request<{ updateProduct: Payload }>(
      UPDATE,
      { id: own, input },
      { as: northwind },
    );
    expect(response.data?.updateProduct).toMatchObject({
      product: null,
      userErrors: [expect.objectContaining({ code })],
    });
    expect(await rowOf(own)).toEqual(before);
  });

  it("answers NOT_FOUND for another shop's product and leaves the row unchanged", async () => {
    const before = await rowOf(atelierProduct.id);
    const update = await catalog.request<{ updateProduct: Payload }>(
      UPDATE,
      { id: atelierProduct.id, input: { title: 'Hijacked', price: '0.01' } },
      { as: northwind },
    );
    expect(update.data?.updateProduct).toEqual({
      product: null,
      userErrors: [expect.objectContaining({ field: ['id'], code: 'NOT_FOUND' })],
    });
    const stock = await catalog.request<{ setStock: Payload }>(
      SET_STOCK,
      { productId: atelierProduct.id, quantity: 0 },
      { as: northwind },
    );
    expect(stock.data?.setStock).toEqual({
      product: null,
      userErrors: [expect.objectContaining({ field: ['productId'], code: 'NOT_FOUND' })],
    });
    expect(await rowOf(atelierProduct.id)).toEqual(before);
  });

  it('answers NOT_FOUND for an unknown product', async () => {
    const update = await catalog.request<{ updateProduct: Payload }>(
      UPDATE,
      { id: 'nope', input: { title: 'x' } },
      { as: atelier },
    );
    expect(update.data?.updateProduct.userErrors[0]?.code).toBe('NOT_FOUND');
    const stock = await catalog.request<{ setStock: Payload }>(
      SET_STOCK,
      { productId: 'nope', quantity: 1 },
      { as: atelier },
    );
    expect(stock.data?.setStock.userErrors[0]?.code).toBe('NOT_FOUND');
  });

  it('sets the stock of an own product, and inStock follows it', async () => {
    const zero = await catalog.request<{ setStock: Payload }>(
      SET_STOCK,
      { productId: own, quantity: 0 },
      { as: northwind },
    );
    expect(zero.data?.setStock.product).toMatchObject({ stock: 0, inStock: false });
    const some = await catalog.request<{ setStock: Payload }>(
      SET_STOCK,
      { productId: own, quantity: 1_000_000 },
      { as: northwind },
    );
    expect(some.data?.setStock.product).toMatchObject({ stock: 1_000_000, inStock: true });
  });

  it.each([-1, 1_000_001])('rejects a stock quantity of %i and changes nothing', async (quantity) => {
    const before = await rowOf(own);
    const response = await catalog.request<{ setStock: Payload }>(
      SET_STOCK,
      { productId: own, quantity },
      { as: northwind },
    );
    expect(response.data?.setStock.userErrors).toEqual([
      expect.objectContaining({ field: ['quantity'], code: 'INVALID_INPUT' }),
    ]);
    expect(await rowOf(own)).toEqual(before);
  });

  it('refuses anonymous and buyer callers', async () => {
    expect(
      (await catalog.request(SET_STOCK, { productId: own, quantity: 3 })).errors?.[0]?.extensions?.code,
    ).toBe('UNAUTHENTICATED');
    const asBuyer = await catalog.request(UPDATE, { id: own, input: { title: 'x' } }, { as: buyer });
    expect(asBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('keeps stock non-negative in the database even if code tried otherwise', async () => {
    await expect(db.prisma.$executeRaw`UPDATE products SET stock = -1 WHERE id = ${own}`).rejects.toThrow(
      /products_stock_non_negative/,
    );
  });
});
