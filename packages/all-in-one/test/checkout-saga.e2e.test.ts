import { randomUUID } from 'node:crypto';
import { contractOperation, type GatewayClient } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, eventually, login, registerBuyer, type Session } from './helpers.ts';
import {
  addToCart,
  checkInvariants,
  checkout,
  listProduct,
  providerAuthorizations,
  waitForOrder,
  type UserErrors,
} from './marketplace.ts';
import { useTestSystem, type TestSystem } from './system.ts';

let system: TestSystem;
let client: GatewayClient;
// Few, fast retries so the unavailable-provider path ends within the test's patience.
useTestSystem(
  (s, c) => {
    system = s;
    client = c;
  },
  { env: { PAYMENT_MAX_ATTEMPTS: '3', PAYMENT_RETRY_BASE_MS: '50', PAYMENT_PROVIDER_TIMEOUT_MS: '500' } },
);

let seller: Session;
let buyers: Session[];
const initialStock = new Map<string, number>();

beforeAll(async () => {
  seller = await login(client, DEMO.seller);
  buyers = await Promise.all(Array.from({ length: 30 }, () => registerBuyer(client)));
}, 120_000);

async function stockOf(productId: string): Promise<number> {
  const { product } = await client.data<{ product: { stock: number } }>(
    'query($id: ID!) { product(id: $id) { stock } }',
    {
      id: productId,
    },
  );
  return product.stock;
}

async function newProduct(stock: number): Promise<string> {
  const id = await listProduct(client, seller.accessToken, buyers[0]!.accessToken, { stock });
  initialStock.set(id, stock);
  return id;
}

const authorizationsOf = (orderId: string) =>
  providerAuthorizations(system.paymentProviderUrl, system.paymentProviderKey, orderId);

describe('concurrent checkouts of the last units', () => {
  it('confirms exactly 5 of 30 one-unit orders for a stock of 5, ten times over', async () => {
    for (let round = 1; round <= 10; round++) {
      const product = await newProduct(5);
      const added = await Promise.all(buyers.map((b) => addToCart(client, b.accessToken, product, 1)));
      expect(added.every((a) => a.userErrors.length === 0)).toBe(true);
      const placed = await Promise.all(buyers.map((b) => checkout(client, b.accessToken)));
      expect(placed.every((p) => p.order?.status === 'PENDING')).toBe(true);
      const final = await Promise.all(
        placed.map((p, i) =>
          waitForOrder(client, buyers[i]!.accessToken, p.order!.id, ['CONFIRMED', 'CANCELLED'], {
            timeoutMs: 30_000,
          }),
        ),
      );
      const confirmed = final.filter((o) => o.status === 'CONFIRMED');
      const cancelled = await Promise.all(
        final
          .filter((o) => o.status === 'CANCELLED')
          .map(async (o) => {
            const { order } = await client.data<{ order: { cancelReason: string } }>(
              'query($id: ID!) { order(id: $id) { cancelReason } }',
              { id: o.id },
              buyers[final.indexOf(o)]!.accessToken,
            );
            return order.cancelReason;
          }),
      );
      expect({ round, confirmed: confirmed.length, cancelled }).toEqual({
        round,
        confirmed: 5,
        cancelled: Array.from({ length: 25 }, () => 'OUT_OF_STOCK'),
      });
      expect(await stockOf(product)).toBe(0);
    }
    await checkInvariants(system.databaseUrl, initialStock);
  }, 300_000);
});

describe('idempotent checkout', () => {
  it('places one order and one provider authorization for the same checkout sent 20 times at once', async () => {
    const me = buyers[1]!;
    await addToCart(client, me.accessToken, await newProduct(10), 2);
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => checkout(client, me.accessToken, { idempotencyKey: key })),
    );
    const ids = new Set(answers.map((a) => a.order?.id));
    expect(ids.size).toBe(1);
    const [orderId] = [...ids] as string[];
    await waitForOrder(client, me.accessToken, orderId!, ['CONFIRMED']);
    expect(await authorizationsOf(orderId!)).toHaveLength(1);

    await addToCart(client, me.accessToken, await newProduct(10), 1);
    const reused = await checkout(client, me.accessToken, { idempotencyKey: key });
    expect(reused.userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    await checkInvariants(system.databaseUrl, initialStock);
  });
});

describe('failures and compensations', () => {
  it('cancels a declined card’s order (PAYMENT_DECLINED) and restores the stock', async () => {
    const me = buyers[2]!;
    const product = await newProduct(3);
    await addToCart(client, me.accessToken, product, 2);
    const placed = await checkout(client, me.accessToken, { paymentToken: 'tok_declined' });
    await waitForOrder(client, me.accessToken, placed.order!.id, ['CANCELLED']);
    const { order } = await client.data<{ order: { cancelReason: string; payment: { status: string } } }>(
      'query($id: ID!) { order(id: $id) { cancelReason payment { status } } }',
      { id: placed.order!.id },
      me.accessToken,
    );
    expect(order).toEqual({ cancelReason: 'PAYMENT_DECLINED', payment: { status: 'FAILED' } });
    await expectEventually(async () => (await stockOf(product)) === 3);
    await checkInvariants(system.databaseUrl, initialStock);
  });

  it('gives up on an unavailable provider after bounded retries: CANCELLED (PAYMENT_FAILED), nothing charged', async () => {
    const me = buyers[3]!;
    const product = await newProduct(3);
    await addToCart(client, me.accessToken, product, 1);
    const placed = await checkout(client, me.accessToken, { paymentToken: 'tok_unavailable' });
    await waitForOrder(client, me.accessToken, placed.order!.id, ['CANCELLED'], { timeoutMs: 20_000 });
    const { order } = await client.data<{ order: { cancelReason: string } }>(
      'query($id: ID!) { order(id: $id) { cancelReason } }',
      { id: placed.order!.id },
      me.accessToken,
    );
    expect(order.cancelReason).toBe('PAYMENT_FAILED');
    const held = (await authorizationsOf(placed.order!.id)).filter(
      (a) => a.status === 'authorized' || a.status === 'captured',
    );
    expect(held).toEqual([]);
    await expectEventually(async () => (await stockOf(product)) === 3);
    await checkInvariants(system.databaseUrl, initialStock);
  });

  it('completes an order placed while payments was down, once it is back', async () => {
    const me = buyers[4]!;
    const product = await newProduct(2);
    await addToCart(client, me.accessToken, product, 1);
    const outage = await system.stopSubgraph('payments');
    let orderId: string;
    try {
      const placed = await checkout(client, me.accessToken);
      orderId = placed.order!.id;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const { order } = await client.data<{ order: { status: string } }>(
        'query($id: ID!) { order(id: $id) { status } }',
        { id: orderId },
        me.accessToken,
      );
      expect(order.status).toBe('PENDING');
    } finally {
      await outage.restart();
    }
    await waitForOrder(client, me.accessToken, orderId, ['CONFIRMED'], {
      timeoutMs: 20_000,
      also: (o) => o.payment?.status === 'AUTHORIZED',
    });
    await checkInvariants(system.databaseUrl, initialStock);
  });

  it('voids the payment and restores the stock when the buyer cancels a confirmed order', async () => {
    const me = buyers[5]!;
    const product = await newProduct(4);
    await addToCart(client, me.accessToken, product, 3);
    const placed = await checkout(client, me.accessToken);
    await waitForOrder(client, me.accessToken, placed.order!.id, ['CONFIRMED']);
    const { cancelOrder } = await client.data<{ cancelOrder: UserErrors & { order: { status: string } } }>(
      contractOperation('CancelOrder'),
      { id: placed.order!.id },
      me.accessToken,
    );
    expect(cancelOrder).toMatchObject({ order: { status: 'CANCELLED' }, userErrors: [] });
    await waitForOrder(client, me.accessToken, placed.order!.id, ['CANCELLED'], {
      also: (o) => o.payment?.status === 'VOIDED',
    });
    await expectEventually(async () => (await stockOf(product)) === 4);
    expect((await authorizationsOf(placed.order!.id)).map((a) => a.status)).toEqual(['voided']);
    await checkInvariants(system.databaseUrl, initialStock);
  });
});

const expectEventually = (check: () => Promise<boolean>) =>
  eventually(async () => ((await check()) ? true : undefined));
