import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import {
  RECOMMENDED,
  alsoBoughtOf,
  buyer,
  entitiesQuery,
  envelope,
  marketOf,
  newId,
  openFixtures,
  productTitle,
  shopName,
  type Market,
} from './fixtures.ts';

let subgraph: TestSubgraph;
let fixtures: ReturnType<typeof openFixtures>;
let market: Market;
const products: string[] = [];
const shopOf = new Map<string, string>();
const me = buyer();

useTestSubgraph(recommendationsSubgraph, { open: openFixtures }, (started, opened) => {
  subgraph = started;
  fixtures = opened;
});

beforeAll(async () => {
  market = marketOf(subgraph);
  const shops = [await market.shop(), await market.shop()];
  for (let i = 0; i < 60; i += 1) {
    const shop = shops[i % 2]!;
    const product = await market.product(shop);
    products.push(product);
    shopOf.set(product, shop);
  }
  // Each product bought with its two successors, so every product has neighbours.
  for (let i = 0; i < 60; i += 1)
    await market.pay(newId('user'), [products[i]!, products[(i + 1) % 60]!, products[(i + 2) % 60]!]);
  await market.pay(me.userId, [products[0]!]);
});

async function statementCount(): Promise<number> {
  const metrics = await (await fetch(subgraph.running.url.replace(/\/graphql$/, '/metrics'))).text();
  const match = /^db_statements_total\{database="recommendations"\} (\d+)$/m.exec(metrics);
  if (!match) throw new Error(`db_statements_total{database="recommendations"} is missing from /metrics`);
  return Number(match[1]);
}

async function statementsFor<T>(request: () => Promise<T>): Promise<{ statements: number; result: T }> {
  const before = await statementCount();
  const result = await request();
  return { statements: (await statementCount()) - before, result };
}

describe('Product entities (_entities)', () => {
  it('resolves a Product reference by its id, whatever recommendations knows of it', async () => {
    const unknown = newId('product');
    const response = await subgraph.request<{ _entities: { id: string }[] }>(
      entitiesQuery('... on Product { id }'),
      {
        representations: [
          { __typename: 'Product', id: products[0] },
          { __typename: 'Product', id: unknown },
        ],
      },
    );
    expect(response.data?._entities).toEqual([{ id: products[0] }, { id: unknown }]);
  });

  it('answers alsoBought for 50 products with as many SQL statements as for 10', async () => {
    await alsoBoughtOf(subgraph, products.slice(0, 1)); // pool connections open outside the measurement
    const ten = await statementsFor(() => alsoBoughtOf(subgraph, products.slice(0, 10)));
    const fifty = await statementsFor(() => alsoBoughtOf(subgraph, products.slice(0, 50)));
    // The model's rows of all products not cached yet, shop mates of all products.
    expect(ten.statements).toBe(2);
    expect(fifty.statements).toBe(ten.statements);
    // Product i went with i ± 1 (two buyers each) and i ± 2 (one buyer each).
    const at = (i: number) => products[(i + 60) % 60];
    fifty.result.forEach((list, i) => {
      expect(new Set(list.slice(0, 2))).toEqual(new Set([at(i - 1), at(i + 1)]));
      expect(new Set(list.slice(2))).toEqual(new Set([at(i - 2), at(i + 2)]));
    });
  });

  it('reads a product asked for with two sizes (aliases) once', async () => {
    const query = entitiesQuery(
      '... on Product { few: alsoBought(first: 1) { id } many: alsoBought(first: 6) { id } }',
    );
    const { statements, result } = await statementsFor(() =>
      subgraph.request<{ _entities: { few: { id: string }[]; many: { id: string }[] }[] }>(query, {
        // A product no test here read before, so its row is not cached.
        representations: [{ __typename: 'Product', id: products[59] }],
      }),
    );
    expect(statements).toBe(2);
    const [entity] = result.data!._entities;
    expect(entity!.few).toHaveLength(1);
    expect(entity!.many).toHaveLength(6);
    expect(entity!.many[0]).toEqual(entity!.few[0]);
  });
});

describe('recommendedProducts', () => {
  it('serves guests from the cached base feed, and a buyer with one statement once the model’s rows are cached', async () => {
    // A buyer of a product whose row no test here read before, so it is not cached.
    const newcomer = buyer();
    await market.pay(newcomer.userId, [products[58]!]);
    await subgraph.request(RECOMMENDED, { first: 10 });
    const guest = await statementsFor(() => subgraph.request(RECOMMENDED, { first: 10 }));
    expect(guest.statements).toBe(0);
    const request = () => subgraph.request(RECOMMENDED, { first: 10 }, { as: newcomer });
    // What the buyer has, then the rows of those products; later only what the buyer has.
    const first = await statementsFor(request);
    expect(first.statements).toBe(2);
    const second = await statementsFor(request);
    expect(second.statements).toBe(1);
    expect(second.result).toEqual(first.result);
  });
});

interface Shelf {
  id: string;
  title: string;
  price: { amount: string; currencyCode: string };
  seller: { id: string; name: string };
}

const SHELF = 'id title price { amount currencyCode } seller { id name }';
const RECOMMENDED_SHELF = `query ($first: Int) { recommendedProducts(first: $first) { ${SHELF} } }`;

/** The shelf as catalog and sellers announced it (fixtures.ts). */
const announced = (id: string): Shelf => ({
  id,
  title: productTitle(id),
  price: { amount: '19.99', currencyCode: 'EUR' },
  seller: { id: shopOf.get(id)!, name: shopName(shopOf.get(id)!) },
});

describe('shelf fields (@provides: title, price, seller)', () => {
  it('serves them with the ranking, in no statement of their own, for 10 products as for 50', async () => {
    const shelfOf = (first: number) =>
      subgraph.request<{ recommendedProducts: Shelf[] }>(RECOMMENDED_SHELF, { first }, { as: me });
    await shelfOf(1);
    const idsOnly = await statementsFor(() => subgraph.request(RECOMMENDED, { first: 10 }, { as: me }));
    const ten = await statementsFor(() => shelfOf(10));
    const fifty = await statementsFor(() => shelfOf(50));
    expect(ten.statements).toBe(idsOnly.statements);
    expect(fifty.statements).toBe(ten.statements);
    const shelf = fifty.result.data!.recommendedProducts;
    expect(shelf).toHaveLength(50);
    expect(shelf).toEqual(shelf.map((p) => announced(p.id)));
  });

  it('serves them on alsoBought of many products in the same two statements', async () => {
    const query = entitiesQuery(`... on Product { alsoBought(first: 4) { ${SHELF} } }`);
    // Products no test here read before, so their rows are not cached.
    const representations = products.slice(50, 58).map((id) => ({ __typename: 'Product', id }));
    const { statements, result } = await statementsFor(() =>
      subgraph.request<{ _entities: { alsoBought: Shelf[] }[] }>(query, { representations }),
    );
    expect(statements).toBe(2);
    const shelves = result.data!._entities.flatMap((e) => e.alsoBought);
    expect(shelves).toHaveLength(32);
    expect(shelves).toEqual(shelves.map((p) => announced(p.id)));
  });

  it('follows catalog’s product.updated: the new title and price', async () => {
    const product = products[7]!;
    const seller = shopOf.get(product)!;
    await market.publish(
      envelope('product.updated', product, {
        productId: product,
        sellerId: seller,
        categoryId: 'category-1',
        title: 'Renamed and repriced',
        price: { amountMinor: 120_050, currencyCode: 'EUR' },
        stock: 10,
      }),
    );
    const response = await subgraph.request<{ _entities: { alsoBought: Shelf[] }[] }>(
      entitiesQuery(`... on Product { alsoBought(first: 2) { ${SHELF} } }`),
      { representations: [{ __typename: 'Product', id: products[6] }] },
    );
    expect(response.data!._entities[0]!.alsoBought).toContainEqual({
      id: product,
      title: 'Renamed and repriced',
      price: { amount: '1200.50', currencyCode: 'EUR' },
      seller: { id: seller, name: shopName(seller) },
    });
  });

  it('never recommends a listing kept before its shelf fields were (no title to show)', async () => {
    const shop = await market.shop();
    const untitled = newId('product');
    await fixtures.prisma.productListing.create({
      data: { productId: untitled, sellerId: shop, categoryId: 'category-1', stock: 5, listedAt: new Date() },
    });
    // The best-selling product there is, and the companion of products[0] (which `me` has).
    for (let i = 0; i < 5; i += 1) await market.pay(newId('user'), [products[0]!, untitled]);
    const feeds = [
      await subgraph.request<{ recommendedProducts: Shelf[] }>(RECOMMENDED_SHELF, { first: 50 }),
      await subgraph.request<{ recommendedProducts: Shelf[] }>(RECOMMENDED_SHELF, { first: 50 }, { as: me }),
    ];
    for (const feed of feeds) {
      expect(feed.errors).toBeUndefined();
      expect(feed.data!.recommendedProducts.map((p) => p.id)).not.toContain(untitled);
    }
    expect((await alsoBoughtOf(subgraph, [products[0]!], 50))[0]).not.toContain(untitled);
  });
});

describe('access from outside the gateway', () => {
  it('refuses a request without the gateway credential', async () => {
    const response = await subgraph.request(RECOMMENDED, { first: 3 }, { credential: false });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a forged access token as UNAUTHENTICATED rather than answering as a guest', async () => {
    const response = await subgraph.request(
      RECOMMENDED,
      { first: 3 },
      { authorization: 'Bearer not.a.token' },
    );
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
