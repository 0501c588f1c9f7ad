import { randomUUID } from 'node:crypto';
import { createDatabase } from '@mp/db';
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { PrismaClient, type Prisma } from '../src/generated/prisma/client.ts';
import { reserveOrderStock } from '../src/services/stock-reservation.service.ts';
import { catalogSubgraph } from '../src/subgraph.ts';
import {
  bucketsOf,
  createStockedProduct,
  expectConsistent,
  northwindId,
  orderPlaced,
  type Buckets,
} from './stock-helpers.ts';

const BUYERS = 30;
const STOCK = 5;
const ROUNDS = Array.from({ length: 10 }, (_, i) => i + 1);

let catalog: TestSubgraph;
let prisma: PrismaClient;

/** The test's own client, with a pool big enough for all the buyers' transactions to be open at once. */
function openWide(url: string) {
  const database = createDatabase(url, 'catalog-concurrency-test', BUYERS + 5);
  const client = new PrismaClient({ adapter: database.adapter });
  return {
    client,
    async close() {
      await client.$disconnect();
      await database.close();
    },
  };
}

useTestSubgraph(catalogSubgraph, { seed: true, open: openWide }, (started, opened) => {
  catalog = started;
  prisma = opened.client;
});

type Result = 'RESERVED' | 'OUT_OF_STOCK' | 'PRODUCT_UNAVAILABLE' | 'ALREADY_HANDLED';
/** One buyer's attempt to reserve one unit, inside a transaction the scenario opened for it. */
type Attempt = (tx: Prisma.TransactionClient, orderId: string, productId: string) => Promise<Result>;

interface Outcome {
  results: Partial<Record<Result, number>>;
  buckets: Buckets;
  reservationRows: number;
}

/** A promise that resolves once `parties` callers wait on it: everyone starts together. */
function startingLine(parties: number): () => Promise<void> {
  let arrived = 0;
  let go!: () => void;
  const started = new Promise<void>((resolve) => (go = resolve));
  return () => {
    arrived += 1;
    if (arrived === parties) go();
    return started;
  };
}

/**
 * 30 buyers, 1 unit each, of a fresh product with 5 in stock: each buyer's attempt runs in its own
 * transaction, and no attempt starts before all 30 transactions are open.
 */
async function thirtyBuyersAtOnce(attempt: Attempt): Promise<Outcome> {
  const productId = await createStockedProduct(prisma, STOCK);
  const ready = startingLine(BUYERS);
  const results = await Promise.all(
    Array.from({ length: BUYERS }, () =>
      prisma.$transaction(
        async (tx) => {
          await ready();
          return attempt(tx, `order-${randomUUID()}`, productId);
        },
        { maxWait: 10_000, timeout: 20_000 },
      ),
    ),
  );
  return {
    results: tally(results),
    buckets: await bucketsOf(prisma, productId),
    reservationRows: await prisma.stockReservation.count({ where: { productId } }),
  };
}

function tally(results: readonly Result[]): Partial<Record<Result, number>> {
  const counts: Partial<Record<Result, number>> = {};
  for (const result of results) counts[result] = (counts[result] ?? 0) + 1;
  return counts;
}

/** What must hold after 30 buyers fought over 5 units: nothing oversold, nothing lost. */
function expectNoOversell(outcome: Outcome): void {
  expect(outcome.results).toEqual({ RESERVED: STOCK, OUT_OF_STOCK: BUYERS - STOCK });
  expect(outcome.buckets).toEqual({ stock: 0, reserved: STOCK, sold: 0 });
  expect(outcome.buckets.stock + outcome.buckets.reserved + outcome.buckets.sold).toBe(STOCK);
  expect(outcome.reservationRows).toBe(STOCK);
}

const reserveOneUnit: Attempt = async (tx, orderId, productId) => {
  const outcome = await reserveOrderStock(tx, orderId, [{ productId, quantity: 1 }]);
  return outcome.status === 'REJECTED' ? outcome.reason : outcome.status;
};

/**
 * What the row lock prevents: read the stock without a lock, check it, then write the computed value
 * back. The short sleep keeps every buyer's read before any buyer's write, as an unlucky schedule would.
 */
const naiveReadThenWrite: Attempt = async (tx, orderId, productId) => {
  const [row] = await tx.$queryRaw<{ stock: number }[]>`SELECT stock FROM products WHERE id = ${productId}`;
  if (!row || row.stock < 1) return 'OUT_OF_STOCK';
  await tx.$executeRaw`SELECT pg_sleep(0.05)`;
  await tx.$executeRaw`
    UPDATE products SET stock = ${row.stock - 1}, reserved = reserved + 1 WHERE id = ${productId}`;
  await tx.stockReservation.create({ data: { orderId, productId, quantity: 1, status: 'RESERVED' } });
  return 'RESERVED';
};

describe('30 buyers, 5 units', () => {
  it.for(ROUNDS)(
    'reserves exactly 5 and rejects 25 as OUT_OF_STOCK through the service, each in its own transaction (round %i)',
    async () => {
      expectNoOversell(await thirtyBuyersAtOnce(reserveOneUnit));
    },
  );

  it('fails those assertions with a naive read-then-write, which oversells and breaks the invariant', async () => {
    const outcome = await thirtyBuyersAtOnce(naiveReadThenWrite);
    expect(() => expectNoOversell(outcome)).toThrow();
    expect(outcome.results.RESERVED).toBeGreaterThan(STOCK);
    expect(outcome.reservationRows).toBeGreaterThan(STOCK);
    // Lost updates: every buyer wrote back "stock 4", so units appeared from nowhere.
    expect(outcome.buckets.stock + outcome.buckets.reserved + outcome.buckets.sold).toBeGreaterThan(STOCK);
  });

  it.for(ROUNDS)(
    'reserves exactly 5 and rejects 25 as OUT_OF_STOCK when 30 order.placed events arrive at once (round %i)',
    async () => {
      const productId = await createStockedProduct(prisma, STOCK);
      const orderIds = Array.from({ length: BUYERS }, () => `order-${randomUUID()}`);
      await catalog.bus.publish(
        orderIds.map((orderId) =>
          orderPlaced(orderId, [{ sellerId: northwindId, items: [{ productId, quantity: 1 }] }]),
        ),
      );

      const answers = await prisma.outboxEvent.findMany({
        where: { aggregateId: { in: orderIds } },
        select: { type: true, data: true },
      });
      expect(answers).toHaveLength(BUYERS);
      const reserved = answers.filter((a) => a.type === 'stock.reserved');
      const rejected = answers.filter((a) => a.type === 'stock.rejected');
      expect(reserved).toHaveLength(STOCK);
      expect(rejected).toHaveLength(BUYERS - STOCK);
      for (const { data } of rejected) {
        expect(data).toMatchObject({ reason: 'OUT_OF_STOCK', productIds: [productId] });
      }
      expect(await expectConsistent(prisma, productId, STOCK)).toEqual({
        stock: 0,
        reserved: STOCK,
        sold: 0,
      });
      expect(await prisma.stockReservation.count({ where: { productId } })).toBe(STOCK);

      // Each stock_changed starts where the previous one ended: every reservation saw the one before it.
      const changes = await prisma.outboxEvent.findMany({
        where: { aggregateId: productId, type: 'product.stock_changed' },
        orderBy: { seq: 'asc' },
        select: { data: true },
      });
      expect(changes.map((c) => c.data)).toEqual(
        [5, 4, 3, 2, 1].map((previousStock) =>
          expect.objectContaining({ previousStock, stock: previousStock - 1 }),
        ),
      );
    },
  );
});

describe('multi-product orders', () => {
  it('locks products in id order, so orders naming the same products in opposite orders never deadlock', async () => {
    const first = await createStockedProduct(prisma, 100);
    const second = await createStockedProduct(prisma, 100);
    const ready = startingLine(20);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        prisma.$transaction(
          async (tx) => {
            await ready();
            const items = [
              { productId: i % 2 === 0 ? first : second, quantity: 1 },
              { productId: i % 2 === 0 ? second : first, quantity: 2 },
            ];
            return (await reserveOrderStock(tx, `order-${randomUUID()}`, items)).status;
          },
          { maxWait: 10_000, timeout: 20_000 },
        ),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, () => 'RESERVED'));
    // Ten orders took 1 of `first` and 2 of `second`, ten the other way round: 30 units of each.
    expect(await expectConsistent(prisma, first, 100)).toEqual({ stock: 70, reserved: 30, sold: 0 });
    expect(await expectConsistent(prisma, second, 100)).toEqual({ stock: 70, reserved: 30, sold: 0 });
  });
});
