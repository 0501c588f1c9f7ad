import type { EventEnvelope } from '@mp/events';
import { startTestSubgraph, testEnvelope, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ordersSubgraph } from '../src/subgraph.ts';
import {
  ADD_TO_CART,
  announceProduct,
  announceShop,
  buyer,
  CANCEL,
  CHECKOUT,
  checkoutInput,
  ORDER,
  recordEvents,
  type CheckoutResult,
  type OrderResult,
  type Shop,
} from './fixtures.ts';

let orders: TestSubgraph;
let recorder: Awaited<ReturnType<typeof recordEvents>>;
const published = () => recorder.seen;

beforeAll(async () => {
  orders = await startTestSubgraph(ordersSubgraph, inject('postgresAdminUrl'));
  recorder = await recordEvents(orders, [
    'order.placed',
    'order.confirmed',
    'order.cancelled',
    'order.completed',
  ]);
}, 60_000);
afterAll(async () => {
  await recorder?.stop();
  await orders?.stop();
});

interface Placed {
  orderId: string;
  me: ReturnType<typeof buyer>;
  shops: Shop[];
  sellerOrders: { sellerOrderId: string; sellerId: string }[];
}

/** A buyer checks out one product from each of `shopCount` shops. */
async function place(shopCount = 2): Promise<Placed> {
  const me = buyer();
  const shops: Shop[] = [];
  for (let i = 0; i < shopCount; i++) {
    const shop = await announceShop(orders);
    shops.push(shop);
    await orders.request(
      ADD_TO_CART,
      { productId: await announceProduct(orders, shop), quantity: 1 },
      { as: me },
    );
  }
  const response = await orders.request<CheckoutResult>(CHECKOUT, { input: checkoutInput() }, { as: me });
  const orderId = response.data!.checkout.order!.id;
  const placed = await vi.waitFor(() => {
    const event = published().find((e) => e.type === 'order.placed' && e.aggregateId === orderId);
    if (!event) throw new Error('order.placed not published yet');
    return event as EventEnvelope<'order.placed'>;
  });
  return { orderId, me, shops, sellerOrders: placed.data.sellerOrders };
}

async function orderOf(placed: Placed) {
  return (await orders.request<OrderResult>(ORDER, { id: placed.orderId }, { as: placed.me })).data!.order!;
}

const eventsOf = (orderId: string) =>
  published()
    .filter((e) => e.aggregateId === orderId)
    .map((e) => e.type);

async function deliver(...events: EventEnvelope[]) {
  await orders.bus.publish(events);
}

const authorized = (orderId: string) =>
  testEnvelope('payment.authorized', orderId, {
    paymentId: `pay-${orderId}`,
    orderId,
    amountMinor: 3998,
    currencyCode: 'USD',
  });

function shipmentRef(placed: Placed, index: number) {
  const part = placed.sellerOrders[index]!;
  return {
    shipmentId: `shipment-${part.sellerOrderId}`,
    orderId: placed.orderId,
    sellerOrderId: part.sellerOrderId,
    sellerId: part.sellerId,
    buyerId: placed.me.userId,
  };
}

describe('the order saga', () => {
  it('confirms a pending order when its payment is authorized, and announces its parts', async () => {
    const placed = await place();
    await deliver(authorized(placed.orderId));
    const order = await orderOf(placed);
    expect(order.status).toBe('CONFIRMED');
    expect(order.sellerOrders.map((s) => s.status)).toEqual(['CONFIRMED', 'CONFIRMED']);
    await vi.waitFor(() => expect(eventsOf(placed.orderId)).toEqual(['order.placed', 'order.confirmed']));
    const confirmed = published().find(
      (e) => e.type === 'order.confirmed' && e.aggregateId === placed.orderId,
    )!;
    expect((confirmed as EventEnvelope<'order.confirmed'>).data.sellerOrders).toHaveLength(2);
  });

  it.each([
    ['stock.rejected OUT_OF_STOCK', 'OUT_OF_STOCK'],
    ['payment.failed DECLINED', 'PAYMENT_DECLINED'],
    ['payment.failed PROVIDER_UNAVAILABLE', 'PAYMENT_FAILED'],
  ])('cancels a pending order on %s with reason %s', async (what, reason) => {
    const placed = await place(1);
    const { orderId } = placed;
    await deliver(
      what.startsWith('stock')
        ? testEnvelope('stock.rejected', orderId, { orderId, reason: 'OUT_OF_STOCK', productIds: ['p'] })
        : testEnvelope('payment.failed', orderId, {
            paymentId: `pay-${orderId}`,
            orderId,
            reason: what.endsWith('DECLINED') ? 'DECLINED' : 'PROVIDER_UNAVAILABLE',
          }),
    );
    const order = await orderOf(placed);
    expect(order).toMatchObject({ status: 'CANCELLED', cancelReason: reason });
    expect(order.sellerOrders.map((s) => s.status)).toEqual(['CANCELLED']);
    await vi.waitFor(() => expect(eventsOf(orderId)).toEqual(['order.placed', 'order.cancelled']));
  });

  it('ignores a late authorization for a cancelled order and a late rejection for a confirmed one', async () => {
    const cancelled = await place(1);
    await deliver(
      testEnvelope('stock.rejected', cancelled.orderId, {
        orderId: cancelled.orderId,
        reason: 'OUT_OF_STOCK',
        productIds: ['p'],
      }),
    );
    await deliver(authorized(cancelled.orderId));
    expect((await orderOf(cancelled)).status).toBe('CANCELLED');

    const confirmed = await place(1);
    await deliver(authorized(confirmed.orderId));
    await deliver(
      testEnvelope('payment.failed', confirmed.orderId, {
        paymentId: 'x',
        orderId: confirmed.orderId,
        reason: 'DECLINED',
      }),
    );
    expect((await orderOf(confirmed)).status).toBe('CONFIRMED');
    await vi.waitFor(() => expect(eventsOf(confirmed.orderId)).toEqual(['order.placed', 'order.confirmed']));
  });

  it('completes an order when every shipment is delivered, and not before', async () => {
    const placed = await place(2);
    await deliver(authorized(placed.orderId));
    const [first, second] = [shipmentRef(placed, 0), shipmentRef(placed, 1)];
    await deliver(
      testEnvelope('shipment.shipped', first.shipmentId, { ...first, carrier: 'DHL', trackingNumber: 'T1' }),
    );
    await deliver(
      testEnvelope('shipment.delivered', first.shipmentId, {
        ...first,
        productIds: ['p'],
        deliveredAt: new Date().toISOString(),
      }),
    );
    let order = await orderOf(placed);
    expect(order.status).toBe('CONFIRMED');
    expect(order.sellerOrders.find((s) => s.id === first.sellerOrderId)!.status).toBe('DELIVERED');
    await deliver(
      testEnvelope('shipment.shipped', second.shipmentId, {
        ...second,
        carrier: 'UPS',
        trackingNumber: 'T2',
      }),
    );
    await deliver(
      testEnvelope('shipment.delivered', second.shipmentId, {
        ...second,
        productIds: ['p'],
        deliveredAt: new Date().toISOString(),
      }),
    );
    order = await orderOf(placed);
    expect(order.status).toBe('COMPLETED');
    await vi.waitFor(() =>
      expect(eventsOf(placed.orderId)).toEqual(['order.placed', 'order.confirmed', 'order.completed']),
    );
  });
});

describe('cancelOrder', () => {
  type Cancel = {
    cancelOrder: {
      order: { status: string; cancelReason: string } | null;
      userErrors: { code: string; message: string }[];
    };
  };

  it('lets the buyer cancel a confirmed order before anything ships', async () => {
    const placed = await place(1);
    await deliver(authorized(placed.orderId));
    const response = await orders.request<Cancel>(CANCEL, { id: placed.orderId }, { as: placed.me });
    expect(response.data!.cancelOrder).toEqual({
      order: expect.objectContaining({ status: 'CANCELLED', cancelReason: 'BUYER_CANCELLED' }),
      userErrors: [],
    });
    await vi.waitFor(() =>
      expect(eventsOf(placed.orderId)).toEqual(['order.placed', 'order.confirmed', 'order.cancelled']),
    );
  });

  it('refuses once a shipment has left, and for someone else’s order', async () => {
    const placed = await place(2);
    await deliver(authorized(placed.orderId));
    const part = shipmentRef(placed, 0);
    await deliver(
      testEnvelope('shipment.shipped', part.shipmentId, { ...part, carrier: 'DHL', trackingNumber: 'T1' }),
    );
    const late = await orders.request<Cancel>(CANCEL, { id: placed.orderId }, { as: placed.me });
    expect(late.data!.cancelOrder.userErrors[0]).toMatchObject({ code: 'CANNOT_CANCEL' });
    expect(late.data!.cancelOrder.userErrors[0]!.message).toContain('1 of its shipments already left');
    const stranger = await orders.request<Cancel>(CANCEL, { id: placed.orderId }, { as: buyer() });
    expect(stranger.data!.cancelOrder.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect((await orderOf(placed)).status).toBe('CONFIRMED');
  });
});

describe('who sees an order', () => {
  const SHOP_ORDERS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Seller { orders(first: 10) { totalCount edges { node { id items { product { id } } order { id items { product { id } } } } } } } } }`;

  it('answers NOT_FOUND for another buyer’s order, and hides it from other users’ lists', async () => {
    const placed = await place(1);
    const response = await orders.request<OrderResult>(ORDER, { id: placed.orderId }, { as: buyer() });
    expect(response.data?.order ?? null).toBeNull();
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await orders.request(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { orders(first: 5) { totalCount } } } }`,
      { r: [{ __typename: 'User', id: placed.me.userId }] },
      { as: buyer() },
    );
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows a seller only its own part of a two-shop order', async () => {
    const placed = await place(2);
    const [mine, theirs] = placed.sellerOrders;
    const seller = {
      userId: placed.shops[0]!.ownerId,
      scopes: ['seller' as const],
      sellerId: mine!.sellerId,
    };
    type Shop = {
      _entities: {
        orders: {
          totalCount: number;
          edges: { node: { id: string; items: unknown[]; order: { items: unknown[] } } }[];
        };
      }[];
    };
    const response = await orders.request<Shop>(
      SHOP_ORDERS,
      { r: [{ __typename: 'Seller', id: mine!.sellerId }] },
      { as: seller },
    );
    const connection = response.data!._entities[0]!.orders;
    expect(connection.totalCount).toBe(1);
    expect(connection.edges[0]!.node.id).toBe(mine!.sellerOrderId);
    expect(connection.edges[0]!.node.order.items).toHaveLength(1);
    const other = await orders.request(
      SHOP_ORDERS,
      { r: [{ __typename: 'Seller', id: theirs!.sellerId }] },
      { as: seller },
    );
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const viaOrder = await orders.request<{ order: { sellerOrders: { id: string }[] } }>(
      `query($id: ID!) { order(id: $id) { sellerOrders { id } } }`,
      { id: placed.orderId },
      { as: seller },
    );
    expect(viaOrder.data!.order.sellerOrders.map((s) => s.id)).toEqual([mine!.sellerOrderId]);
  });
});
