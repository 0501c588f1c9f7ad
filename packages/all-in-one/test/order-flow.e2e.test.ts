import { contractOperation, type GatewayClient } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO, eventually, login, registerBuyer, type Session } from './helpers.ts';
import {
  addToCart,
  checkInvariants,
  checkout,
  listProduct,
  orderDetails,
  updateCartItem,
  waitForOrder,
  type UserErrors,
} from './marketplace.ts';
import { useTestSystem, type TestSystem } from './system.ts';

let system: TestSystem;
let client: GatewayClient;
useTestSystem((s, c) => {
  system = s;
  client = c;
});

let buyer: Session;
let northwind: Session;
let atelier: Session;
let carrier: Session;
let admin: Session;

beforeAll(async () => {
  [buyer, northwind, atelier, carrier, admin] = await Promise.all([
    registerBuyer(client),
    login(client, DEMO.seller),
    login(client, DEMO.seller2),
    login(client, DEMO.carrier),
    login(client, DEMO.admin),
  ]);
});

type ShipmentPayload = UserErrors & {
  shipment: { id: string; status: string; carrier: string | null } | null;
};

interface Dashboard {
  mySeller: {
    id: string;
    orders: {
      totalCount: number;
      edges: {
        node: {
          id: string;
          status: string;
          order: { id: string };
          items: { product: { id: string; title: string }; quantity: number }[];
          shipment: { id: string; status: string } | null;
        };
      }[];
    };
  };
}

const dashboard = (token: string) =>
  client.data<Dashboard>(contractOperation('SellerDashboard'), { first: 20 }, token);

const ship = async (token: string, shipmentId: string) =>
  (
    await client.data<{ shipShipment: ShipmentPayload }>(
      contractOperation('ShipShipment'),
      { shipmentId, input: { carrier: 'DHL' } },
      token,
    )
  ).shipShipment;

const track = (token: string, shipmentId: string, status: string) =>
  client.request<{ recordTrackingEvent: ShipmentPayload }>(
    contractOperation('RecordTrackingEvent'),
    { shipmentId, input: { status, description: `Parcel ${status.toLowerCase().replace(/_/g, ' ')}` } },
    token,
  );

const rating = async (productId: string) =>
  (
    await client.data<{ product: { rating: { count: number; average: number | null } } }>(
      'query($id: ID!) { product(id: $id) { rating { count average } } }',
      { id: productId },
    )
  ).product.rating;

const addReview = async (token: string, productId: string, body = 'Exactly as described, fast delivery.') =>
  (
    await client.data<{
      addReview: UserErrors & { review: { id: string; status: string; rating: number } | null };
    }>(contractOperation('AddReview'), { input: { productId, rating: 4, title: 'Solid', body } }, token)
  ).addReview;

describe('an order across two shops, from cart to review', () => {
  it('goes PENDING → CONFIRMED → COMPLETED, each shop seeing and shipping only its part', async () => {
    const lamp = await listProduct(client, northwind.accessToken, buyer.accessToken, {
      stock: 10,
      price: '25.00',
    });
    const vase = await listProduct(client, atelier.accessToken, buyer.accessToken, {
      stock: 4,
      price: '12.50',
    });
    expect((await addToCart(client, buyer.accessToken, lamp, 2)).userErrors).toEqual([]);
    expect((await addToCart(client, buyer.accessToken, vase, 3)).userErrors).toEqual([]);
    expect((await updateCartItem(client, buyer.accessToken, vase, 1)).userErrors).toEqual([]);
    const { cart } = await client.data<{
      cart: {
        items: { product: { id: string; seller: { name: string } }; quantity: number }[];
        subtotal: { amount: string };
      };
    }>(contractOperation('Cart'), {}, buyer.accessToken);
    expect(cart.subtotal.amount).toBe('62.50');
    expect(cart.items.map((i) => i.product.seller.name).sort()).toEqual([
      'Atelier Home & Style',
      'Northwind Electronics',
    ]);

    const placed = await checkout(client, buyer.accessToken);
    expect(placed.userErrors).toEqual([]);
    expect(placed.order).toMatchObject({
      status: 'PENDING',
      total: { amount: '62.50', currencyCode: 'USD' },
    });
    const orderId = placed.order!.id;

    const confirmed = await waitForOrder(client, buyer.accessToken, orderId, ['CONFIRMED'], {
      also: (o) => o.shipments.length === 2 && o.payment?.status === 'AUTHORIZED',
    });
    expect(confirmed.payment!.amount.amount).toBe('62.50');
    expect(confirmed.items.map((i) => i.product.id).sort()).toEqual([lamp, vase].sort());
    expect(confirmed.shipments.map((s) => s.seller.name).sort()).toEqual([
      'Atelier Home & Style',
      'Northwind Electronics',
    ]);

    const mine = await client.data<{
      me: { orders: { totalCount: number; edges: { node: { id: string } }[] } };
    }>(contractOperation('MyOrders'), { first: 10 }, buyer.accessToken);
    expect(mine.me.orders.edges.map((e) => e.node.id)).toContain(orderId);

    // Each shop's dashboard holds its own part only.
    const parts = new Map<string, Dashboard['mySeller']['orders']['edges'][number]['node']>();
    for (const [seller, product] of [
      [northwind, lamp],
      [atelier, vase],
    ] as const) {
      const { mySeller } = await dashboard(seller.accessToken);
      const part = mySeller.orders.edges.find((e) => e.node.order.id === orderId)!.node;
      expect(part.items.map((i) => i.product.id)).toEqual([product]);
      expect(part.shipment?.status).toBe('PENDING');
      parts.set(seller.user.email, part);
    }
    const northwindShipment = parts.get(DEMO.seller.email)!.shipment!.id;
    const atelierShipment = parts.get(DEMO.seller2.email)!.shipment!.id;

    // Another shop's shipment cannot be shipped; the owner's can.
    const foreign = await ship(northwind.accessToken, atelierShipment);
    expect(foreign.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(
      (await orderDetails(client, buyer.accessToken, orderId)).shipments.every((s) => s.status === 'PENDING'),
    ).toBe(true);
    expect(await ship(northwind.accessToken, northwindShipment)).toMatchObject({
      shipment: { status: 'LABEL_CREATED' },
      userErrors: [],
    });
    expect(await ship(atelier.accessToken, atelierShipment)).toMatchObject({
      shipment: { status: 'LABEL_CREATED' },
      userErrors: [],
    });

    // Once goods left, the buyer can no longer cancel; the payment is captured.
    const cancel = await client.data<{ cancelOrder: UserErrors }>(
      contractOperation('CancelOrder'),
      { id: orderId },
      buyer.accessToken,
    );
    expect(cancel.cancelOrder.userErrors[0]).toMatchObject({ code: 'CANNOT_CANCEL' });
    await waitForOrder(client, buyer.accessToken, orderId, ['CONFIRMED'], {
      also: (o) => o.payment?.status === 'CAPTURED',
    });

    // A product not received yet cannot be reviewed.
    expect((await addReview(buyer.accessToken, lamp)).userErrors[0]).toMatchObject({ code: 'NOT_RECEIVED' });

    // Only the carrier scope records tracking.
    const byBuyer = await track(buyer.accessToken, northwindShipment, 'IN_TRANSIT');
    expect(byBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const shipmentId of [northwindShipment, atelierShipment]) {
      for (const status of ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']) {
        const response = await track(carrier.accessToken, shipmentId, status);
        expect(response.data!.recordTrackingEvent).toMatchObject({ shipment: { status }, userErrors: [] });
      }
    }
    const completed = await waitForOrder(client, buyer.accessToken, orderId, ['COMPLETED']);
    expect(completed.shipments.every((s) => s.status === 'DELIVERED')).toBe(true);

    // The buyer reviews a delivered product and its rating changes.
    const before = await rating(lamp);
    const review = await addReview(buyer.accessToken, lamp);
    expect(review).toMatchObject({ review: { status: 'APPROVED', rating: 4 }, userErrors: [] });
    expect(await rating(lamp)).toEqual({ count: before.count + 1, average: 4 });

    // A review with a link waits for an admin; only admins see the queue and decide.
    const held = await addReview(buyer.accessToken, vase, 'Cheaper at https://example.test/deal');
    expect(held.review!.status).toBe('PENDING');
    const queue = await client.request(contractOperation('PendingReviews'), { first: 50 }, buyer.accessToken);
    expect(queue.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const { pendingReviews } = await client.data<{
      pendingReviews: { edges: { node: { id: string; product: { id: string } } }[] };
    }>(contractOperation('PendingReviews'), { first: 50 }, admin.accessToken);
    expect(pendingReviews.edges.map((e) => e.node.id)).toContain(held.review!.id);
    const notAdmin = await client.request(
      contractOperation('ModerateReview'),
      { id: held.review!.id, decision: 'APPROVE' },
      buyer.accessToken,
    );
    expect(notAdmin.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const moderated = await client.data<{ moderateReview: UserErrors & { review: { status: string } } }>(
      contractOperation('ModerateReview'),
      { id: held.review!.id, decision: 'APPROVE' },
      admin.accessToken,
    );
    expect(moderated.moderateReview).toMatchObject({ review: { status: 'APPROVED' }, userErrors: [] });
    await eventually(async () => ((await rating(vase)).count === 1 ? true : undefined));

    await checkInvariants(
      system.databaseUrl,
      new Map([
        [lamp, 10],
        [vase, 4],
      ]),
    );
  });
});

describe('access and bad input', () => {
  it('answers NOT_FOUND for another buyer’s order', async () => {
    const product = await listProduct(client, northwind.accessToken, buyer.accessToken, { stock: 3 });
    await addToCart(client, buyer.accessToken, product, 1);
    const placed = await checkout(client, buyer.accessToken);
    const stranger = await registerBuyer(client);
    const response = await client.request(
      contractOperation('OrderDetails'),
      { id: placed.order!.id },
      stranger.accessToken,
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const anonymous = await client.request(contractOperation('OrderDetails'), { id: placed.order!.id });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers bad cart and checkout input with userErrors and writes nothing', async () => {
    const shopper = await registerBuyer(client);
    const product = await listProduct(client, northwind.accessToken, shopper.accessToken, { stock: 3 });
    for (const quantity of [0, -2, 1000]) {
      expect((await addToCart(client, shopper.accessToken, product, quantity)).userErrors[0]).toMatchObject({
        code: 'INVALID_INPUT',
        field: ['quantity'],
      });
    }
    expect((await addToCart(client, shopper.accessToken, 'no-such-product', 1)).userErrors[0]).toMatchObject({
      code: 'UNKNOWN_PRODUCT',
    });
    expect((await checkout(client, shopper.accessToken)).userErrors[0]).toMatchObject({ code: 'EMPTY_CART' });
    await addToCart(client, shopper.accessToken, product, 1);
    const malformed = await checkout(client, shopper.accessToken, {
      address: { name: 'A', line1: '', city: 'B', postalCode: '???', country: 'USA' },
    });
    expect(malformed.userErrors.map((e) => e.code)).toEqual([
      'INVALID_INPUT',
      'INVALID_INPUT',
      'INVALID_INPUT',
    ]);
    expect(
      (await checkout(client, shopper.accessToken, { paymentToken: 'tok_bogus' })).userErrors[0],
    ).toMatchObject({
      code: 'UNKNOWN_PAYMENT_METHOD',
    });
    const mine = await client.data<{ me: { orders: { totalCount: number } } }>(
      contractOperation('MyOrders'),
      { first: 5 },
      shopper.accessToken,
    );
    expect(mine.me.orders.totalCount).toBe(0);
  });
});
