import { demoProducts } from '@mp/prisma/seed';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it, vi } from 'vitest';
import { openDb, type CatalogDb } from '../src/db.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import { buyer, demoSeller, envelope, sellerIdentity } from './helpers.ts';

let catalog: TestSubgraph;
let db: CatalogDb;

useTestSubgraph(catalogSubgraph, { seed: true, open: openDb }, (started, opened) => {
  catalog = started;
  db = opened;
});

const atelier = demoSeller('atelier');
const atelierOwner = sellerIdentity('atelier');
const atelierProducts = demoProducts.filter((p) => p.sellerId === atelier.id);
const anAtelierProduct = atelierProducts[0]!;

const LISTED = `query($f: ProductFilter) { products(first: 100, filter: $f) { totalCount edges { node { sellerId } } } }`;
const PRODUCT = `query($id: ID!) { product(id: $id) { id } }`;
const SHOP = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Seller { products(first: 100) { totalCount } } } }`;
const ENTITY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { id title } } }`;

type Listed = { products: { totalCount: number; edges: { node: { sellerId: string } }[] } };

async function listedOfAtelier(): Promise<number> {
  const response = await catalog.request<Listed>(LISTED, { f: { sellerId: atelier.id } });
  return response.data!.products.totalCount;
}

async function statusChanged(
  status: 'ACTIVE' | 'SUSPENDED' | 'PENDING',
  previousStatus: 'ACTIVE' | 'SUSPENDED' | 'PENDING',
) {
  const event = envelope('seller.status_changed', atelier.id, {
    sellerId: atelier.id,
    ownerId: atelier.ownerId,
    status,
    previousStatus,
  });
  await catalog.bus.publish([event]);
  return event;
}

async function shopStatus(sellerId: string): Promise<string | undefined> {
  return (await db.prisma.sellerState.findUnique({ where: { sellerId } }))?.status;
}

describe('shop status projection', () => {
  it('hides a suspended shop from products and product, and shows it again when reactivated', async () => {
    expect(await listedOfAtelier()).toBe(atelierProducts.length);
    await statusChanged('SUSPENDED', 'ACTIVE');
    await vi.waitFor(async () => expect(await listedOfAtelier()).toBe(0), { timeout: 5_000, interval: 50 });

    const all = await catalog.request<Listed>(LISTED, {});
    expect(all.data!.products.totalCount).toBe(demoProducts.length - atelierProducts.length);
    expect(all.data!.products.edges.some((e) => e.node.sellerId === atelier.id)).toBe(false);
    for (const as of [undefined, buyer]) {
      const byId = await catalog.request<{ product: unknown }>(
        PRODUCT,
        { id: anAtelierProduct.id },
        as ? { as } : {},
      );
      expect(byId.data?.product).toBeNull();
    }
    const shop = await catalog.request<{ _entities: { products: { totalCount: number } }[] }>(SHOP, {
      r: [{ __typename: 'Seller', id: atelier.id }],
    });
    expect(shop.data?._entities[0]?.products.totalCount).toBe(0);

    await statusChanged('ACTIVE', 'SUSPENDED');
    await vi.waitFor(async () => expect(await listedOfAtelier()).toBe(atelierProducts.length), {
      timeout: 5_000,
      interval: 50,
    });
    const again = await catalog.request<{ product: { id: string } | null }>(PRODUCT, {
      id: anAtelierProduct.id,
    });
    expect(again.data?.product?.id).toBe(anAtelierProduct.id);
  });

  it("still shows a suspended shop's products to its own seller, and still resolves them as entities", async () => {
    await statusChanged('PENDING', 'ACTIVE');
    await vi.waitFor(async () => expect(await shopStatus(atelier.id)).toBe('PENDING'), {
      timeout: 5_000,
      interval: 50,
    });

    const own = await catalog.request<{ _entities: { products: { totalCount: number } }[] }>(
      SHOP,
      { r: [{ __typename: 'Seller', id: atelier.id }] },
      { as: atelierOwner },
    );
    expect(own.data?._entities[0]?.products.totalCount).toBe(atelierProducts.length);
    const byId = await catalog.request<{ product: { id: string } | null }>(
      PRODUCT,
      { id: anAtelierProduct.id },
      { as: atelierOwner },
    );
    expect(byId.data?.product?.id).toBe(anAtelierProduct.id);
    // Orders and reviews that point at the product must keep rendering it.
    const entity = await catalog.request<{ _entities: ({ id: string } | null)[] }>(ENTITY, {
      r: [{ __typename: 'Product', id: anAtelierProduct.id }],
    });
    expect(entity.data?._entities[0]?.id).toBe(anAtelierProduct.id);
    // But the shop cannot change its catalog while it is not ACTIVE.
    const stock = await catalog.request<{ setStock: { product: unknown; userErrors: { code: string }[] } }>(
      `mutation($id: ID!) { setStock(productId: $id, quantity: 1) { product { id } userErrors { code } } }`,
      { id: anAtelierProduct.id },
      { as: atelierOwner },
    );
    expect(stock.data?.setStock).toEqual({ product: null, userErrors: [{ code: 'SELLER_NOT_ACTIVE' }] });

    await statusChanged('ACTIVE', 'PENDING');
    await vi.waitFor(async () => expect(await shopStatus(atelier.id)).toBe('ACTIVE'), {
      timeout: 5_000,
      interval: 50,
    });
  });

  it('applies a redelivered event only once', async () => {
    const suspended = await statusChanged('SUSPENDED', 'ACTIVE');
    await vi.waitFor(async () => expect(await shopStatus(atelier.id)).toBe('SUSPENDED'), {
      timeout: 5_000,
      interval: 50,
    });
    const reactivated = await statusChanged('ACTIVE', 'SUSPENDED');
    await vi.waitFor(async () => expect(await shopStatus(atelier.id)).toBe('ACTIVE'), {
      timeout: 5_000,
      interval: 50,
    });

    await catalog.bus.publish([suspended]);
    await vi.waitFor(
      async () =>
        expect(
          await db.prisma.inboxEvent.count({ where: { eventId: { in: [suspended.id, reactivated.id] } } }),
        ).toBe(2),
      { timeout: 5_000, interval: 50 },
    );
    // Give a wrongly re-applied SUSPENDED the time it would need to land.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await shopStatus(atelier.id)).toBe('ACTIVE');
    expect(await listedOfAtelier()).toBe(atelierProducts.length);
  });

  it('lets a newly created shop list products once its seller.created event arrives', async () => {
    const shop = {
      userId: 'owner-of-new-shop',
      scopes: ['buyer' as const, 'seller' as const],
      sellerId: 'new-shop-1',
    };
    const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id sellerId } userErrors { code } } }`;
    const input = {
      title: 'First item',
      description: '',
      price: '5',
      currencyCode: 'EUR',
      categoryId: anAtelierProduct.categoryId,
      stock: 1,
    };
    type Created = {
      createProduct: { product: { id: string; sellerId: string } | null; userErrors: { code: string }[] };
    };

    const early = await catalog.request<Created>(CREATE, { input }, { as: shop });
    expect(early.data?.createProduct.userErrors).toEqual([{ code: 'SELLER_NOT_ACTIVE' }]);

    await catalog.bus.publish([
      envelope('seller.created', shop.sellerId, {
        sellerId: shop.sellerId,
        ownerId: shop.userId,
        name: 'New Shop',
        status: 'ACTIVE',
      }),
    ]);
    await vi.waitFor(async () => expect(await shopStatus(shop.sellerId)).toBe('ACTIVE'), {
      timeout: 5_000,
      interval: 50,
    });
    const created = await catalog.request<Created>(CREATE, { input }, { as: shop });
    expect(created.data?.createProduct.product?.sellerId).toBe(shop.sellerId);
  });

  it('hides products of a shop the projection has never heard of', async () => {
    await db.prisma.product.create({
      data: {
        id: 'orphan-product',
        sellerId: 'shop-never-announced',
        categoryId: anAtelierProduct.categoryId,
        title: 'Orphan',
        description: '',
        priceMinor: 100n,
        currencyCode: 'EUR',
        stock: 1,
      },
    });
    const byId = await catalog.request<{ product: unknown }>(PRODUCT, { id: 'orphan-product' });
    expect(byId.data?.product).toBeNull();
    const listed = await catalog.request<Listed>(LISTED, { f: { sellerId: 'shop-never-announced' } });
    expect(listed.data?.products.totalCount).toBe(0);
  });
});
