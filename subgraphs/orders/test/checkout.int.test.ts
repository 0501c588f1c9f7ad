import { startTestSubgraph, testEnvelope, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { openDb, type OrdersDb } from '../src/db.ts';
import { ordersSubgraph } from '../src/subgraph.ts';
import {
  ADD_TO_CART,
  announceProduct,
  announceShop,
  buyer,
  CART,
  CHECKOUT,
  checkoutInput,
  ORDER,
  PROVIDER_KEY,
  recordEvents,
  startFakeProvider,
  UPDATE_CART_ITEM,
  type CheckoutResult,
  type OrderResult,
} from './fixtures.ts';

let orders: TestSubgraph;
let db: OrdersDb;
let provider: Awaited<ReturnType<typeof startFakeProvider>>;

beforeAll(async () => {
  provider = await startFakeProvider();
  orders = await startTestSubgraph(ordersSubgraph, inject('postgresAdminUrl'), {
    env: { PAYMENT_PROVIDER_URL: provider.url, PAYMENT_PROVIDER_API_KEY: PROVIDER_KEY },
  });
  db = openDb(orders.database.url);
}, 60_000);
afterAll(async () => {
  await db?.close();
  await orders?.stop();
  await provider?.close();
});

type CartPayload = {
  cart: { items: { product: { id: string }; quantity: number }[]; subtotal: { amount: string } } | null;
  userErrors: { field: string[] | null; code: string; message: string }[];
};

async function add(as: ReturnType<typeof buyer>, productId: string, quantity: number) {
  const response = await orders.request<{ addToCart: CartPayload }>(
    ADD_TO_CART,
    { productId, quantity },
    { as },
  );
  expect(response.errors).toBeUndefined();
  return response.data!.addToCart;
}

async function checkout(as: ReturnType<typeof buyer>, input = checkoutInput()) {
  const response = await orders.request<CheckoutResult>(CHECKOUT, { input }, { as });
  expect(response.errors).toBeUndefined();
  return response.data!.checkout;
}

const counts = async () => ({
  orders: await db.prisma.order.count(),
  outbox: await db.prisma.outboxEvent.count({ where: { type: 'order.placed' } }),
});

describe('cart', () => {
  it('keeps lines, adds to a line, sets and removes it, priced from the product projection', async () => {
    const shop = await announceShop(orders);
    const product = await announceProduct(orders, shop, { priceMinor: 1250 });
    const me = buyer();
    expect((await add(me, product, 2)).cart!.subtotal.amount).toBe('25.00');
    expect((await add(me, product, 1)).cart!.items).toEqual([{ product: { id: product }, quantity: 3 }]);
    const set = await orders.request<{ updateCartItem: CartPayload }>(
      UPDATE_CART_ITEM,
      { productId: product, quantity: 5 },
      { as: me },
    );
    expect(set.data!.updateCartItem.cart!.subtotal.amount).toBe('62.50');
    const read = await orders.request<{
      cart: { itemCount: number; items: { lineTotal: { amount: string }; available: boolean }[] };
    }>(CART, {}, { as: me });
    expect(read.data!.cart).toMatchObject({
      itemCount: 5,
      items: [{ lineTotal: { amount: '62.50' }, available: true }],
    });
    const removed = await orders.request<{ updateCartItem: CartPayload }>(
      UPDATE_CART_ITEM,
      { productId: product, quantity: 0 },
      { as: me },
    );
    expect(removed.data!.updateCartItem.cart!.items).toEqual([]);
  });

  it.each([0, -1, 1000])('refuses to add quantity %i and writes nothing', async (quantity) => {
    const product = await announceProduct(orders, await announceShop(orders));
    const me = buyer();
    const payload = await add(me, product, quantity);
    expect(payload.userErrors).toEqual([
      expect.objectContaining({ field: ['quantity'], code: 'INVALID_INPUT' }),
    ]);
    expect(payload.userErrors[0]!.message).toContain(String(quantity));
    expect(await db.prisma.cartItem.count({ where: { productId: product } })).toBe(0);
  });

  it('refuses a line over 999 units in total', async () => {
    const product = await announceProduct(orders, await announceShop(orders));
    const me = buyer();
    await add(me, product, 600);
    const payload = await add(me, product, 400);
    expect(payload.userErrors[0]).toMatchObject({ code: 'INVALID_INPUT' });
    expect(payload.cart!.items).toEqual([{ product: { id: product }, quantity: 600 }]);
  });

  it('refuses unknown products, products of inactive shops and a second currency', async () => {
    const me = buyer();
    expect((await add(me, 'no-such-product', 1)).userErrors[0]).toMatchObject({ code: 'UNKNOWN_PRODUCT' });
    const suspended = await announceProduct(orders, await announceShop(orders, 'SUSPENDED'));
    expect((await add(me, suspended, 1)).userErrors[0]).toMatchObject({ code: 'PRODUCT_UNAVAILABLE' });
    const shop = await announceShop(orders);
    await add(me, await announceProduct(orders, shop, { currencyCode: 'USD' }), 1);
    const euro = await announceProduct(orders, shop, { currencyCode: 'EUR' });
    expect((await add(me, euro, 1)).userErrors[0]).toMatchObject({ code: 'CURRENCY_MISMATCH' });
  });

  it('needs a signed-in user', async () => {
    const response = await orders.request(CART, {});
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('checkout', () => {
  it('places one order with a seller order per shop, announces it and empties the cart', async () => {
    const [north, south] = [await announceShop(orders), await announceShop(orders)];
    const [a, b, c] = [
      await announceProduct(orders, north, { priceMinor: 1000, title: 'Lamp' }),
      await announceProduct(orders, north, { priceMinor: 250 }),
      await announceProduct(orders, south, { priceMinor: 4999 }),
    ];
    const me = buyer();
    await add(me, a, 2);
    await add(me, b, 1);
    await add(me, c, 1);
    const recorder = await recordEvents(orders, ['order.placed']);
    const placed = await checkout(me);
    expect(placed.userErrors).toEqual([]);
    expect(placed.order).toMatchObject({
      status: 'PENDING',
      total: { amount: '72.49', currencyCode: 'USD' },
    });
    const order = (await orders.request<OrderResult>(ORDER, { id: placed.order!.id }, { as: me })).data!
      .order!;
    expect(order.items.map((i) => i.quantity)).toEqual([2, 1, 1]);
    expect(order.sellerOrders.map((s) => s.seller.id).sort()).toEqual(
      [north.sellerId, south.sellerId].sort(),
    );
    expect(order.sellerOrders.every((s) => s.status === 'PENDING')).toBe(true);
    // The relay publishes after the checkout's transaction commits, within its poll interval.
    const event = await vi.waitFor(() => {
      const found = recorder.seen.find((e) => e.aggregateId === placed.order!.id);
      if (!found) throw new Error('order.placed not published yet');
      return found;
    });
    expect(event.data).toMatchObject({
      buyerId: me.userId,
      totalMinor: 7249,
      currencyCode: 'USD',
      paymentToken: 'tok_visa',
    });
    await recorder.stop();
    const cart = await orders.request<{ cart: { items: unknown[] } }>(CART, {}, { as: me });
    expect(cart.data!.cart.items).toEqual([]);
  });

  it('refuses an empty cart, a malformed address and an unknown payment token, and writes nothing', async () => {
    const me = buyer();
    const before = await counts();
    expect((await checkout(me)).userErrors[0]).toMatchObject({ code: 'EMPTY_CART' });
    await add(me, await announceProduct(orders, await announceShop(orders)), 1);
    const malformed = await checkout(
      me,
      checkoutInput({
        shippingAddress: { name: '', line1: 'x', city: 'y', postalCode: '!!', country: 'Germany' },
      }),
    );
    expect(malformed.userErrors.map((e) => e.field)).toEqual([
      ['input', 'shippingAddress', 'name'],
      ['input', 'shippingAddress', 'postalCode'],
      ['input', 'shippingAddress', 'country'],
    ]);
    const unknownToken = await checkout(me, checkoutInput({ paymentMethod: { token: 'tok_nobody_knows' } }));
    expect(unknownToken.userErrors[0]).toMatchObject({
      code: 'UNKNOWN_PAYMENT_METHOD',
      field: ['input', 'paymentMethod', 'token'],
    });
    const malformedToken = await checkout(
      me,
      checkoutInput({ paymentMethod: { token: '4242 4242 4242 4242' } }),
    );
    expect(malformedToken.userErrors[0]).toMatchObject({ code: 'UNKNOWN_PAYMENT_METHOD' });
    expect(await counts()).toEqual(before);
    const cart = await orders.request<{ cart: { itemCount: number } }>(CART, {}, { as: me });
    expect(cart.data!.cart.itemCount).toBe(1);
  });

  it('places one order for the same checkout sent 20 times at once, and names it in every answer', async () => {
    const me = buyer();
    await add(me, await announceProduct(orders, await announceShop(orders)), 3);
    const input = checkoutInput();
    const before = await counts();
    const answers = await Promise.all(Array.from({ length: 20 }, () => checkout(me, input)));
    const ids = new Set(answers.map((a) => a.order?.id));
    expect(answers.every((a) => a.userErrors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await counts()).toEqual({ orders: before.orders + 1, outbox: before.outbox + 1 });
  });

  it('refuses an idempotency key reused with a different cart or address', async () => {
    const me = buyer();
    const shop = await announceShop(orders);
    await add(me, await announceProduct(orders, shop), 1);
    const input = checkoutInput();
    const first = await checkout(me, input);
    expect(first.order).not.toBeNull();
    await add(me, await announceProduct(orders, shop), 2);
    const reused = await checkout(me, input);
    expect(reused.userErrors[0]).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: ['input', 'idempotencyKey'],
    });
    expect(reused.userErrors[0]!.message).toContain(first.order!.id);
    const otherAddress = await checkout(me, {
      ...input,
      shippingAddress: { ...input.shippingAddress, city: 'Paris' },
    });
    expect(otherAddress.userErrors[0]).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses a cart holding a product whose shop was suspended since', async () => {
    const me = buyer();
    const shop = await announceShop(orders);
    await add(me, await announceProduct(orders, shop), 1);
    await orders.bus.publish([
      testEnvelope('seller.status_changed', shop.sellerId, {
        sellerId: shop.sellerId,
        ownerId: shop.ownerId,
        status: 'SUSPENDED',
        previousStatus: 'ACTIVE',
      }),
    ]);
    expect((await checkout(me)).userErrors[0]).toMatchObject({ code: 'PRODUCT_UNAVAILABLE' });
  });
});
