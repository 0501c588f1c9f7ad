// Recommendations through the gateway: the contract's ProductPage and RecommendedForMe as written, the
// feeds following new orders within 2 s (catalog → orders → payments → recommendations, all by events),
// full feeds for guests and new users, and never a product that cannot be ordered.
import { contractOperation, type GatewayClient } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, login, registerBuyer, type Session } from './helpers.ts';
import { addToCart, checkout, listProduct, waitForOrder } from './marketplace.ts';
import { useTestSystem } from './system.ts';

let client: GatewayClient;
useTestSystem((_system, c) => {
  client = c;
});

const FRESHNESS_LIMIT_MS = 2_000;
// Polling goes on past the limit, so a slow propagation fails with its measured time, not a timeout.
const POLL_DEADLINE_MS = 10_000;

interface RecommendedProduct {
  id: string;
  title: string;
  price: { amount: string; currencyCode: string };
  seller: { id: string; name: string };
}

interface ProductPage {
  product: {
    id: string;
    title: string;
    stock: number;
    seller: { id: string; name: string; status: string };
    alsoBought: { id: string; title: string; price: { amount: string; currencyCode: string } }[];
  } | null;
}

/** What the gateway says about recommended products, from catalog and sellers (not recommendations). */
const AVAILABILITY = `query ($first: Int!, $id: ID!) {
  recommendedProducts(first: $first) { id inStock seller { status } }
  product(id: $id) { alsoBought(first: 50) { id inStock seller { status } } }
}`;

let northwind: Session;
let admin: Session;

beforeAll(async () => {
  [northwind, admin] = await Promise.all([login(client, DEMO.seller), login(client, DEMO.admin)]);
});

async function recommendedFor(token: string | undefined, first = 10): Promise<RecommendedProduct[]> {
  const data = await client.data<{ recommendedProducts: RecommendedProduct[] }>(
    contractOperation('RecommendedForMe'),
    { first },
    token,
  );
  return data.recommendedProducts;
}

async function productPage(id: string, token?: string): Promise<NonNullable<ProductPage['product']>> {
  const { product } = await client.data<ProductPage>(contractOperation('ProductPage'), { id }, token);
  if (!product) throw new Error(`product ${id} is not visible`);
  return product;
}

const ids = (list: readonly { id: string }[]) => list.map((p) => p.id);

/** The id of a demo product, found as a shopper would (search). */
async function demoProduct(title: string): Promise<string> {
  const { products } = await client.data<{ products: { edges: { node: { id: string; title: string } }[] } }>(
    `query ($search: String!) { products(first: 5, filter: { search: $search }) { edges { node { id title } } } }`,
    { search: title },
  );
  const found = products.edges.find((e) => e.node.title === title);
  if (!found) throw new Error(`no demo product "${title}"`);
  return found.node.id;
}

/** A buyer puts the products in the cart, checks out and waits until the order is paid (CONFIRMED). */
async function buy(
  buyer: Session,
  productIds: readonly string[],
): Promise<{ orderId: string; paidAt: number }> {
  for (const productId of productIds) {
    const added = await addToCart(client, buyer.accessToken, productId, 1);
    expect(added.userErrors).toEqual([]);
  }
  const answer = await checkout(client, buyer.accessToken);
  expect(answer.userErrors).toEqual([]);
  await waitForOrder(client, buyer.accessToken, answer.order!.id, ['CONFIRMED']);
  return { orderId: answer.order!.id, paidAt: performance.now() };
}

/** Polls `check` until it holds; returns the ms from `since` to the first poll where it held. */
async function msUntil(since: number, what: string, check: () => Promise<boolean>): Promise<number> {
  for (;;) {
    const held = await check();
    const elapsed = performance.now() - since;
    if (held) return elapsed;
    if (elapsed > POLL_DEADLINE_MS) throw new Error(`${what}: not within ${Math.round(elapsed)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every product the feeds return can be ordered, as catalog and sellers (not recommendations) see it. */
async function expectAllAvailable(aroundProductId: string, token?: string): Promise<void> {
  const { recommendedProducts, product } = await client.data<{
    recommendedProducts: { id: string; inStock: boolean; seller: { status: string } }[];
    product: { alsoBought: { id: string; inStock: boolean; seller: { status: string } }[] } | null;
  }>(AVAILABILITY, { first: 50, id: aroundProductId }, token);
  for (const p of [...recommendedProducts, ...(product?.alsoBought ?? [])]) {
    expect(p, `product ${p.id}`).toMatchObject({ inStock: true, seller: { status: 'ACTIVE' } });
  }
}

describe('the contract operations', () => {
  it('serves RecommendedForMe to a guest and to the demo buyer, whose feed follows what they bought', async () => {
    const guest = await recommendedFor(undefined);
    expect(guest).toHaveLength(10);
    for (const product of guest) {
      expect(product.title).toMatch(/\w/);
      expect(product.price.amount).toMatch(/^\d+\.\d{2}$/);
      expect(product.seller.name).toMatch(/\w/);
    }
    // No shop takes more than half of the feed (the demo has three).
    const perShop = new Map<string, number>();
    for (const p of guest) perShop.set(p.seller.id, (perShop.get(p.seller.id) ?? 0) + 1);
    expect(Math.max(...perShop.values())).toBeLessThanOrEqual(5);

    const demoBuyer = await login(client, DEMO.buyer);
    const personal = await recommendedFor(demoBuyer.accessToken);
    expect(personal).toHaveLength(10);
    const titles = personal.map((p) => p.title);
    // The demo buyer "bought" running shoes, a running belt and a skillet (demo-history.ts).
    for (const owned of ['Trail Running Shoes', 'Running Belt', 'Cast Iron Skillet 28cm'])
      expect(titles).not.toContain(owned);
    expect(titles.slice(0, 4)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Mindful Running|Insulated Water Bottle|Foam Roller|Cooking with Cast Iron|Dutch Oven 5L|Chef Knife 20cm|Bamboo Cutting Board/,
        ),
      ]),
    );
    await expectAllAvailable(guest[0]!.id, demoBuyer.accessToken);
  });

  it('serves ProductPage with alsoBought: a demo skillet’s companions from the kitchen', async () => {
    const skillet = await productPage(await demoProduct('Cast Iron Skillet 28cm'));
    expect(skillet.title).toBe('Cast Iron Skillet 28cm');
    expect(skillet.alsoBought).toHaveLength(4);
    expect(skillet.alsoBought.map((p) => p.title)).toEqual(
      expect.arrayContaining(['Cooking with Cast Iron']),
    );
    for (const product of skillet.alsoBought) expect(product.price.currencyCode).toBe('EUR');
  });
});

describe('freshness', () => {
  let tent: string;
  let pegs: string;

  it('shows new orders in alsoBought and in the popular feed within 2 s', async () => {
    const buyers = await Promise.all([1, 2, 3].map(() => registerBuyer(client)));
    tent = await listProduct(client, northwind.accessToken, buyers[0]!.accessToken, {
      stock: 100,
      title: 'E2E tent',
    });
    pegs = await listProduct(client, northwind.accessToken, buyers[0]!.accessToken, {
      stock: 100,
      title: 'E2E pegs',
    });
    // New products: no companions yet (only more from the shop), nowhere near the top of the popular feed.
    expect(ids((await productPage(tent)).alsoBought)).not.toContain(pegs);
    expect(ids(await recommendedFor(undefined))).not.toContain(tent);

    let lastPaidAt = 0;
    for (const buyer of buyers) lastPaidAt = (await buy(buyer, [tent, pegs])).paidAt;
    const alsoBoughtMs = await msUntil(lastPaidAt, 'alsoBought(tent) starts with pegs', async () => {
      return (await productPage(tent)).alsoBought[0]?.id === pegs;
    });
    // Three orders today outweigh any demo product's older ones.
    const popularMs = await msUntil(lastPaidAt, 'the popular feed leads with tent and pegs', async () => {
      return new Set(ids(await recommendedFor(undefined)).slice(0, 2)).has(tent);
    });
    expect(alsoBoughtMs).toBeLessThan(FRESHNESS_LIMIT_MS);
    expect(popularMs).toBeLessThan(FRESHNESS_LIMIT_MS);
    expect(ids((await recommendedFor(undefined)).slice(0, 2)).sort()).toEqual([tent, pegs].sort());
  });

  it('shows on shelves the title, price and shop their owners hold, and a price change within 2 s', async () => {
    // Shelves draw title, price and shop from recommendations' projection (@provides); `product(id)`
    // asks catalog and sellers themselves.
    const owners = async () =>
      (
        await client.data<{ product: Omit<RecommendedProduct, 'id'> }>(
          `query ($id: ID!) { product(id: $id) { title price { amount currencyCode } seller { id name } } }`,
          { id: tent },
        )
      ).product;
    const shelves = async () => {
      const [feed, page] = await Promise.all([recommendedFor(undefined), productPage(pegs)]);
      return { feed: feed.find((p) => p.id === tent), page: page.alsoBought.find((p) => p.id === tent) };
    };
    const before = await owners();
    expect((await shelves()).feed).toEqual({ id: tent, ...before });
    expect((await shelves()).page).toEqual({ id: tent, title: before.title, price: before.price });

    const { updateProduct } = await client.data<{ updateProduct: { userErrors: unknown[] } }>(
      contractOperation('UpdateProduct'),
      { id: tent, input: { title: 'E2E tent for two', price: '149.50' } },
      northwind.accessToken,
    );
    expect(updateProduct.userErrors).toEqual([]);
    const ms = await msUntil(performance.now(), 'both shelves show the new title and price', async () => {
      const { feed, page } = await shelves();
      return [feed, page].every((p) => p?.title === 'E2E tent for two' && p.price.amount === '149.50');
    });
    expect(ms).toBeLessThan(FRESHNESS_LIMIT_MS);
    expect((await shelves()).feed).toEqual({ id: tent, ...(await owners()) });
  });

  it('makes a buyer’s own feed follow their purchase: its companions first, never what they have', async () => {
    const buyer = await registerBuyer(client);
    const { paidAt } = await buy(buyer, [tent]);
    const ms = await msUntil(paidAt, 'the buyer’s feed leads with pegs', async () => {
      return (await recommendedFor(buyer.accessToken))[0]?.id === pegs;
    });
    expect(ms).toBeLessThan(FRESHNESS_LIMIT_MS);
    expect(ids(await recommendedFor(buyer.accessToken, 50))).not.toContain(tent);
    expect(await recommendedFor(buyer.accessToken, 20)).toHaveLength(20);
  });
});

describe('full feeds', () => {
  it('gives a guest and a brand-new user a full feed', async () => {
    const newcomer = await registerBuyer(client);
    for (const first of [1, 10, 30]) {
      expect(await recommendedFor(undefined, first)).toHaveLength(first);
      expect(await recommendedFor(newcomer.accessToken, first)).toHaveLength(first);
    }
    expect(ids(await recommendedFor(newcomer.accessToken))).toEqual(ids(await recommendedFor(undefined)));
  });

  it('refuses first outside 1–50 with BAD_USER_INPUT', async () => {
    const response = await client.request(contractOperation('RecommendedForMe'), { first: 51 });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toMatch(/"first" must be a whole number from 1 to 50; got 51/);
  });
});

describe('never unavailable', () => {
  it('drops a product that sells out or is set to 0, and every product of a suspended shop', async () => {
    const [first, second, watcher] = await Promise.all([1, 2, 3].map(() => registerBuyer(client)));
    const base = await listProduct(client, northwind.accessToken, first!.accessToken, {
      stock: 100,
      title: 'E2E base',
    });
    const lastOne = await listProduct(client, northwind.accessToken, first!.accessToken, {
      stock: 1,
      title: 'E2E last one',
    });
    const setToZero = await listProduct(client, northwind.accessToken, first!.accessToken, {
      stock: 100,
      title: 'E2E zeroed',
    });
    await buy(first!, [base, setToZero]);
    await buy(watcher!, [base]);
    // The last unit sells: catalog's reservation emits product.stock_changed (0).
    const { paidAt } = await buy(second!, [base, lastOne]);
    const { setStock } = await client.data<{ setStock: { userErrors: unknown[] } }>(
      contractOperation('SetStock'),
      { productId: setToZero, quantity: 0 },
      northwind.accessToken,
    );
    expect(setStock.userErrors).toEqual([]);
    const feedsOf = async () => [
      ids((await productPage(base)).alsoBought),
      ids(await recommendedFor(undefined, 50)),
      ids(await recommendedFor(watcher!.accessToken, 50)),
    ];
    const ms = await msUntil(paidAt, 'sold-out products leave every feed', async () =>
      (await feedsOf()).every((feed) => !feed.includes(lastOne) && !feed.includes(setToZero)),
    );
    expect(ms).toBeLessThan(FRESHNESS_LIMIT_MS);
    await expectAllAvailable(base, watcher!.accessToken);

    // Suspend the shop: none of its products anywhere (alsoBought of its product stays answerable).
    const shop = await shopId();
    const setStatus = (status: string) =>
      client.data(
        `mutation($id: ID!, $status: SellerStatus!) { setSellerStatus(id: $id, status: $status) { userErrors { code } } }`,
        { id: shop, status },
        admin.accessToken,
      );
    const suspendedAt = performance.now();
    await setStatus('SUSPENDED');
    try {
      const hidden = await msUntil(
        suspendedAt,
        'the suspended shop’s products leave every feed',
        async () => {
          const feeds = [
            ...(await recommendedFor(undefined, 50)),
            ...(await recommendedFor(watcher!.accessToken, 50)),
          ];
          return feeds.length > 0 && feeds.every((p) => p.seller.id !== shop);
        },
      );
      expect(hidden).toBeLessThan(FRESHNESS_LIMIT_MS);
      const alsoBought = await client.data<{ product: { alsoBought: { id: string }[] } | null }>(
        'query ($id: ID!) { product(id: $id) { alsoBought(first: 50) { id } } }',
        { id: base },
        northwind.accessToken, // the shop's own seller still sees its product
      );
      expect(alsoBought.product?.alsoBought).toEqual([]);
      expect(await recommendedFor(undefined, 30)).toHaveLength(30);
    } finally {
      await setStatus('ACTIVE');
    }
  });
});

/** The demo Northwind shop's id. */
async function shopId(): Promise<string> {
  const { me } = await client.data<{ me: { seller: { id: string } } }>(
    contractOperation('Me'),
    {},
    northwind.accessToken,
  );
  return me.seller.id;
}
