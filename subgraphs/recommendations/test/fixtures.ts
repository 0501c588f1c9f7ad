// Shared by the recommendations integration tests: shops, products and paid orders announced on the
// test subgraph's bus the way sellers, catalog and orders announce them, and the two fields under test.
import { randomUUID } from 'node:crypto';
import type { EventData, EventEnvelope, EventType } from '@mp/events';
import { testEnvelope, type GraphQLResponse, type RequestOptions, type TestSubgraph } from '@mp/testkit';
import { expect } from 'vitest';
import { openDb } from '../src/db.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { SqlReader } from '../src/repositories/recommendation.repository.ts';

/** Ids unique to one test, so tests sharing a database never see each other's rows. */
export const newId = (prefix: string): string => `${prefix}-${randomUUID()}`;

/** The name `marketOf(…).shop()` gives a shop. */
export const shopName = (sellerId: string): string => `Shop ${sellerId.slice(-6)}`;

/** The title `marketOf(…).product()` gives a product (19.99 EUR). */
export const productTitle = (productId: string): string => `Product ${productId.slice(-6)}`;

/** An envelope as its producer would publish it, optionally dated (decay tests). */
export function envelope<T extends EventType>(
  type: T,
  aggregateId: string,
  data: EventData<T>,
  occurredAt?: Date,
): EventEnvelope<T> {
  const built = testEnvelope(type, aggregateId, data);
  return occurredAt ? { ...built, occurredAt: occurredAt.toISOString() } : built;
}

export interface ProductOptions {
  stock?: number;
  categoryId?: string;
}

/**
 * What the other subgraphs tell recommendations, published on the subgraph's bus. The in-process bus
 * resolves a publish once recommendations' consumer committed its effect, so every call is applied
 * when it returns.
 */
export function marketOf(subgraph: TestSubgraph) {
  const publish = (...events: EventEnvelope[]) => subgraph.bus.publish(events);
  return {
    publish,
    /** A shop announced by sellers (`seller.created`). */
    async shop(status: 'ACTIVE' | 'PENDING' | 'SUSPENDED' = 'ACTIVE'): Promise<string> {
      const sellerId = newId('seller');
      await publish(
        envelope('seller.created', sellerId, {
          sellerId,
          ownerId: newId('owner'),
          name: shopName(sellerId),
          status,
        }),
      );
      return sellerId;
    },
    async setShopStatus(
      sellerId: string,
      status: 'ACTIVE' | 'SUSPENDED',
      previousStatus: 'ACTIVE' | 'SUSPENDED',
    ) {
      await publish(
        envelope('seller.status_changed', sellerId, {
          sellerId,
          ownerId: newId('owner'),
          status,
          previousStatus,
        }),
      );
    },
    /** A product announced by catalog (`product.created`). */
    async product(
      sellerId: string,
      { stock = 10, categoryId = 'category-1' }: ProductOptions = {},
    ): Promise<string> {
      const productId = newId('product');
      await publish(
        envelope('product.created', productId, {
          productId,
          sellerId,
          categoryId,
          title: productTitle(productId),
          price: { amountMinor: 1999, currencyCode: 'EUR' },
          stock,
        }),
      );
      return productId;
    },
    async products(sellerId: string, count: number, options: ProductOptions = {}): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) ids.push(await this.product(sellerId, options));
      return ids;
    },
    /** `product.stock_changed`, as catalog sends it when stock is set, reserved or released. */
    async setStock(productId: string, sellerId: string, stock: number, previousStock = 10) {
      await publish(
        envelope('product.stock_changed', productId, { productId, sellerId, stock, previousStock }),
      );
    },
    /** A paid order (`order.confirmed`); returns its id. */
    async pay(
      buyerId: string,
      productIds: readonly string[],
      { at, orderId = randomUUID() }: { at?: Date; orderId?: string } = {},
    ) {
      await publish(paidEnvelope(orderId, buyerId, productIds, at));
      return orderId;
    },
    async cancel(orderId: string, buyerId: string, previousStatus: 'PENDING' | 'CONFIRMED' = 'CONFIRMED') {
      await publish(
        envelope('order.cancelled', orderId, { orderId, buyerId, reason: 'BUYER_CANCELLED', previousStatus }),
      );
    },
  };
}

export type Market = ReturnType<typeof marketOf>;

/** `order.confirmed` for one seller order holding `productIds`. */
export function paidEnvelope(
  orderId: string,
  buyerId: string,
  productIds: readonly string[],
  at?: Date,
): EventEnvelope<'order.confirmed'> {
  return envelope(
    'order.confirmed',
    orderId,
    {
      orderId,
      buyerId,
      sellerOrders: [
        {
          sellerOrderId: randomUUID(),
          sellerId: 'seller-of-the-order',
          items: productIds.map((productId) => ({ productId, quantity: 1 })),
        },
      ],
    },
    at,
  );
}

/** A signed-in buyer as the gateway forwards them (a fresh user unless an id is given). */
export const buyer = (userId: string = newId('user')) => ({ userId, scopes: ['buyer' as const] });

type Caller = RequestOptions['as'];

export const RECOMMENDED = 'query ($first: Int) { recommendedProducts(first: $first) { id } }';

/** `recommendedProducts(first)` as `as` (a guest when omitted): the product ids. */
export async function recommended(subgraph: TestSubgraph, first: number, as?: Caller): Promise<string[]> {
  const response = await subgraph.request<{ recommendedProducts: { id: string }[] }>(
    RECOMMENDED,
    { first },
    as ? { as } : {},
  );
  expect(response.errors).toBeUndefined();
  return response.data!.recommendedProducts.map((p) => p.id);
}

export function entitiesQuery(selection: string): string {
  return `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`;
}

/** `Product.alsoBought(first)` of several products in one `_entities` request, as the gateway asks. */
export async function alsoBoughtOf(
  subgraph: TestSubgraph,
  productIds: readonly string[],
  first = 4,
): Promise<string[][]> {
  const response = await alsoBoughtRequest(subgraph, productIds, first);
  expect(response.errors).toBeUndefined();
  return response.data!._entities.map((e) => e.alsoBought.map((p) => p.id));
}

export function alsoBoughtRequest(
  subgraph: TestSubgraph,
  productIds: readonly string[],
  first: number | null,
): Promise<GraphQLResponse<{ _entities: { id: string; alsoBought: { id: string }[] }[] }>> {
  return subgraph.request(
    entitiesQuery('... on Product { id alsoBought(first: $first) { id } }').replace(
      'query ($representations: [_Any!]!)',
      'query ($representations: [_Any!]!, $first: Int)',
    ),
    { representations: productIds.map((id) => ({ __typename: 'Product', id })), first },
  );
}

/** The test's own client of the subgraph's database, to read what the consumer stored. */
export function openFixtures(databaseUrl: string): {
  prisma: PrismaClient;
  /** The pool the feeds' reads run on (repositories/recommendation.repository.ts). */
  pool: SqlReader;
  close: () => Promise<void>;
} {
  const db = openDb(databaseUrl);
  return { prisma: db.prisma, pool: db.database.pool, close: () => db.close() };
}

/** Every count of the model, sorted: two snapshots are equal iff the model is in the same state. */
export async function modelSnapshot(prisma: PrismaClient) {
  const [pairs, stats, holdings] = await Promise.all([
    prisma.coPurchase.findMany({ orderBy: [{ productId: 'asc' }, { otherId: 'asc' }] }),
    prisma.productStats.findMany({ orderBy: { productId: 'asc' } }),
    prisma.buyerProduct.findMany({
      orderBy: [{ buyerId: 'asc' }, { productId: 'asc' }],
      select: { buyerId: true, productId: true, orders: true },
    }),
  ]);
  return {
    pairs,
    // Popularity goes through floating point: equal to 7 decimals is equal.
    // A product whose every order was cancelled keeps a row of zeros: the same as no row.
    stats: stats
      .filter((s) => s.orders > 0)
      .map((s) => ({
        ...s,
        popularityLog2: s.popularityLog2 === null ? null : Math.round(s.popularityLog2 * 1e7) / 1e7,
      })),
    holdings,
  };
}
