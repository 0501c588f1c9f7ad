import type { EventEnvelope } from '@mp/events';
import { demoId, demoProducts } from '@mp/prisma/seed';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openDb, type CatalogDb } from '../src/db.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import { demoSeller, sellerIdentity } from './helpers.ts';

let catalog: TestSubgraph;
let db: CatalogDb;
let recorder: ReturnType<TestSubgraph['bus']['subscribe']> | undefined;
/** Every product event the relay published after the recorder subscribed, in delivery order. */
const delivered: EventEnvelope[] = [];

beforeAll(async () => {
  catalog = await startTestSubgraph(catalogSubgraph, inject('postgresAdminUrl'), { seed: true });
  db = openDb(catalog.database.url);
  recorder = catalog.bus.subscribe(
    'test-recorder',
    ['product.created', 'product.updated', 'product.stock_changed'],
    async (events) => {
      delivered.push(...events);
    },
  );
  await recorder.ready;
});
afterAll(async () => {
  await recorder?.unsubscribe();
  await db?.close();
  await catalog?.stop();
});

const northwind = sellerIdentity('northwind');
const atelierProduct = demoProducts.find((p) => p.sellerId === demoSeller('atelier').id)!;
const audio = demoId('category', 'Audio');
const phones = demoId('category', 'Phones');

const PAYLOAD = `product { id title stock price { amount currencyCode } } userErrors { field code }`;
const CREATE = `mutation($input: CreateProductInput!) { createProduct(input: $input) { ${PAYLOAD} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { ${PAYLOAD} } }`;
const SET_STOCK = `mutation($productId: ID!, $quantity: Int!) { setStock(productId: $productId, quantity: $quantity) { ${PAYLOAD} } }`;

interface Payload {
  product: { id: string; title: string; stock: number } | null;
  userErrors: { field: string[] | null; code: string }[];
}

const validInput = {
  title: 'Event Radio',
  description: 'A radio whose every change other subgraphs hear about.',
  price: '24.5',
  currencyCode: 'EUR',
  categoryId: audio,
  stock: 12,
};

async function mutate<K extends string>(
  field: K,
  query: string,
  variables: Record<string, unknown>,
): Promise<Payload> {
  const response = await catalog.request<Record<K, Payload>>(query, variables, { as: northwind });
  expect(response.errors).toBeUndefined();
  return response.data![field];
}

async function createOwn(input: Record<string, unknown> = {}): Promise<string> {
  const payload = await mutate('createProduct', CREATE, { input: { ...validInput, ...input } });
  expect(payload.userErrors).toEqual([]);
  return payload.product!.id;
}

/** The outbox rows of one product, in the order the relay publishes them. */
function outboxOf(productId: string) {
  return db.prisma.outboxEvent.findMany({
    where: { aggregateId: productId },
    orderBy: { seq: 'asc' },
    select: { type: true, version: true, aggregateId: true, data: true, publishedAt: true },
  });
}

const outboxCount = () => db.prisma.outboxEvent.count();

/** Waits until the relay delivered `count` events of the product through the bus, and returns them. */
async function deliveredOf(productId: string, count: number): Promise<EventEnvelope[]> {
  return vi.waitFor(
    () => {
      const events = delivered.filter((e) => e.aggregateId === productId);
      expect(events).toHaveLength(count);
      return events;
    },
    { timeout: 5_000, interval: 20 },
  );
}

describe('product events', () => {
  it('emits exactly one product.created with the new product’s snapshot, through the outbox and the bus', async () => {
    const id = await createOwn({ title: '  Event Radio  ', currencyCode: 'JPY', price: '1500' });
    const snapshot = {
      productId: id,
      sellerId: northwind.sellerId,
      categoryId: audio,
      title: 'Event Radio',
      price: { amountMinor: 1500, currencyCode: 'JPY' },
      stock: 12,
    };
    const [event] = await deliveredOf(id, 1);
    expect(event).toMatchObject({ type: 'product.created', version: 1, aggregateId: id, data: snapshot });
    const rows = await outboxOf(id);
    expect(rows).toEqual([
      expect.objectContaining({ type: 'product.created', version: 1, aggregateId: id, data: snapshot }),
    ]);
    expect(rows[0]!.publishedAt).not.toBeNull();
  });

  it('carries the price in integer minor units', async () => {
    const id = await createOwn({ price: '1234.56' });
    const [event] = await deliveredOf(id, 1);
    expect(event!.data).toMatchObject({ price: { amountMinor: 123456, currencyCode: 'EUR' } });
  });

  it('emits product.updated with the snapshot after the change', async () => {
    const id = await createOwn();
    const payload = await mutate('updateProduct', UPDATE, {
      id,
      input: { title: 'Event Radio II', price: '30.00', categoryId: phones },
    });
    expect(payload.userErrors).toEqual([]);
    const [created, updated] = await deliveredOf(id, 2);
    expect(created!.type).toBe('product.created');
    expect(updated).toMatchObject({
      type: 'product.updated',
      aggregateId: id,
      data: {
        productId: id,
        sellerId: northwind.sellerId,
        categoryId: phones,
        title: 'Event Radio II',
        price: { amountMinor: 3000, currencyCode: 'EUR' },
        stock: 12,
      },
    });
  });

  it('emits product.updated when only the description changes, and nothing for values the product already has', async () => {
    const id = await createOwn();
    const before = await db.prisma.product.findUniqueOrThrow({ where: { id } });
    const same = await mutate('updateProduct', UPDATE, {
      id,
      input: { title: validInput.title, price: '24.50', categoryId: audio },
    });
    expect(same).toMatchObject({ product: { id, title: validInput.title }, userErrors: [] });
    expect((await outboxOf(id)).map((r) => r.type)).toEqual(['product.created']);
    expect(await db.prisma.product.findUniqueOrThrow({ where: { id } })).toEqual(before);

    await mutate('updateProduct', UPDATE, { id, input: { description: 'Now with a longer antenna.' } });
    expect((await outboxOf(id)).map((r) => r.type)).toEqual(['product.created', 'product.updated']);
  });

  it('emits product.stock_changed with the stock before and after, and nothing for an unchanged quantity', async () => {
    const id = await createOwn({ stock: 12 });
    await mutate('setStock', SET_STOCK, { productId: id, quantity: 3 });
    await mutate('setStock', SET_STOCK, { productId: id, quantity: 3 });
    await mutate('setStock', SET_STOCK, { productId: id, quantity: 0 });
    const events = await deliveredOf(id, 3);
    expect(events.map((e) => [e.type, e.data])).toEqual([
      ['product.created', expect.objectContaining({ stock: 12 })],
      ['product.stock_changed', { productId: id, sellerId: northwind.sellerId, stock: 3, previousStock: 12 }],
      ['product.stock_changed', { productId: id, sellerId: northwind.sellerId, stock: 0, previousStock: 3 }],
    ]);
    expect(await outboxOf(id)).toHaveLength(3);
  });

  it('chains previousStock across concurrent setStock calls on one product (the row lock orders them)', async () => {
    const id = await createOwn({ stock: 1 });
    const quantities = [10, 20, 30, 40, 50, 60, 70, 80];
    const payloads = await Promise.all(
      quantities.map((quantity) => mutate('setStock', SET_STOCK, { productId: id, quantity })),
    );
    expect(payloads.every((p) => p.userErrors.length === 0)).toBe(true);
    const changes = (await outboxOf(id))
      .filter((r) => r.type === 'product.stock_changed')
      .map((r) => r.data as { stock: number; previousStock: number });
    expect(changes).toHaveLength(quantities.length);
    // Each event starts where the previous one (in outbox order) ended; a read outside the lock breaks this.
    let stock = 1;
    for (const change of changes) {
      expect(change.previousStock).toBe(stock);
      stock = change.stock;
    }
    expect((await db.prisma.product.findUniqueOrThrow({ where: { id } })).stock).toBe(stock);
  });
});

describe('no event without a committed change', () => {
  it('writes neither a row nor an event when validation fails', async () => {
    const id = await createOwn();
    const before = await outboxCount();
    const products = await db.prisma.product.count();
    const rejected = [
      await mutate('createProduct', CREATE, { input: { ...validInput, title: '', price: 'cheap' } }),
      await mutate('createProduct', CREATE, { input: { ...validInput, categoryId: 'no-such-category' } }),
      await mutate('updateProduct', UPDATE, { id, input: { price: '-1' } }),
      await mutate('updateProduct', UPDATE, { id, input: { categoryId: 'no-such-category' } }),
      await mutate('setStock', SET_STOCK, { productId: id, quantity: -1 }),
    ];
    for (const payload of rejected) {
      expect(payload.product).toBeNull();
      expect(payload.userErrors.length).toBeGreaterThan(0);
    }
    expect(await outboxCount()).toBe(before);
    expect(await db.prisma.product.count()).toBe(products);
  });

  it('writes no event for another shop’s product or an unknown id (NOT_FOUND)', async () => {
    const before = await outboxCount();
    const row = await db.prisma.product.findUniqueOrThrow({ where: { id: atelierProduct.id } });
    const attempts = [
      await mutate('updateProduct', UPDATE, { id: atelierProduct.id, input: { title: 'Hijacked' } }),
      await mutate('setStock', SET_STOCK, { productId: atelierProduct.id, quantity: row.stock + 1 }),
      await mutate('updateProduct', UPDATE, { id: 'no-such-product', input: { title: 'x' } }),
      await mutate('setStock', SET_STOCK, { productId: 'no-such-product', quantity: 1 }),
    ];
    for (const payload of attempts) {
      expect(payload).toEqual({
        product: null,
        userErrors: [expect.objectContaining({ code: 'NOT_FOUND' })],
      });
    }
    expect(await outboxCount()).toBe(before);
    expect(await db.prisma.product.findUniqueOrThrow({ where: { id: atelierProduct.id } })).toEqual(row);
  });

  it('rolls the product change back when writing its event fails after the update', async () => {
    const id = await createOwn({ stock: 5 });
    const row = await db.prisma.product.findUniqueOrThrow({ where: { id } });
    const products = await db.prisma.product.count();
    const before = await outboxCount();
    // The outbox insert is the last statement of each mutation's transaction; make it fail on demand.
    await db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_marked_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.data->>'title' LIKE 'Refused%' OR NEW.data->>'stock' = '777' THEN
          RAISE EXCEPTION 'outbox insert refused by the test';
        END IF;
        RETURN NEW;
      END $$`);
    await db.prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_marked_events BEFORE INSERT ON outbox_events
      FOR EACH ROW EXECUTE FUNCTION refuse_marked_events()`);
    try {
      const attempts = [
        await catalog.request(CREATE, { input: { ...validInput, title: 'Refused new' } }, { as: northwind }),
        await catalog.request(UPDATE, { id, input: { title: 'Refused rename' } }, { as: northwind }),
        await catalog.request(SET_STOCK, { productId: id, quantity: 777 }, { as: northwind }),
      ];
      for (const response of attempts) expect(response.errors?.length).toBeGreaterThan(0);
    } finally {
      await db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_marked_events ON outbox_events');
      await db.prisma.$executeRawUnsafe('DROP FUNCTION refuse_marked_events()');
    }
    expect(await db.prisma.product.findUniqueOrThrow({ where: { id } })).toEqual(row);
    expect(await db.prisma.product.count()).toBe(products);
    expect(await outboxCount()).toBe(before);
    // The failed transaction left no lock or half-state behind: the next change goes through with its event.
    await mutate('setStock', SET_STOCK, { productId: id, quantity: 6 });
    expect((await outboxOf(id)).map((r) => r.data)).toEqual([
      expect.objectContaining({ stock: 5 }),
      { productId: id, sellerId: northwind.sellerId, stock: 6, previousStock: 5 },
    ]);
  });
});

describe('seeded demo catalogue', () => {
  it('wrote one product.created per demo product with its snapshot, and the relay published them', async () => {
    const rows = await db.prisma.outboxEvent.findMany({
      where: { aggregateId: { in: demoProducts.map((p) => p.id) } },
      select: { type: true, aggregateId: true, data: true, publishedAt: true },
    });
    expect(rows).toHaveLength(demoProducts.length);
    const byProduct = new Map(rows.map((r) => [r.aggregateId, r]));
    expect(byProduct.size).toBe(demoProducts.length);
    for (const p of demoProducts) {
      expect(byProduct.get(p.id)).toMatchObject({
        type: 'product.created',
        data: {
          productId: p.id,
          sellerId: p.sellerId,
          categoryId: p.categoryId,
          title: p.title,
          price: { amountMinor: p.priceMinor, currencyCode: p.currencyCode },
          stock: p.stock,
        },
      });
    }
    await vi.waitFor(
      async () =>
        expect(
          await db.prisma.outboxEvent.count({
            where: { aggregateId: { in: demoProducts.map((p) => p.id) }, publishedAt: null },
          }),
        ).toBe(0),
      { timeout: 5_000, interval: 50 },
    );
  });
});
