import { contractOperation, type GatewayClient } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, eventually, login, registerBuyer, type Session } from './helpers.ts';
import { addToCart, checkout, listProduct, waitForOrder, type UserErrors } from './marketplace.ts';
import WebSocket from 'ws';
import { connect, wsUrlOf, type RealtimeConnection } from './realtime.ts';
import { useTestSystem, type TestSystem } from './system.ts';

let system: TestSystem;
let client: GatewayClient;
const LIMITS = {
  subscriptionsPerConnection: 3,
  connectionsPerUser: 3,
  messageBytes: 8_192,
  heartbeatMs: 500,
};
useTestSystem(
  (s, c) => {
    system = s;
    client = c;
  },
  {
    env: {
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: String(LIMITS.subscriptionsPerConnection),
      WS_MAX_CONNECTIONS_PER_USER: String(LIMITS.connectionsPerUser),
      WS_MAX_MESSAGE_BYTES: String(LIMITS.messageBytes),
      WS_HEARTBEAT_MS: String(LIMITS.heartbeatMs),
    },
  },
);

let buyer: Session;
let otherBuyer: Session;
let northwind: Session;
let atelier: Session;
let carrier: Session;
const connections: RealtimeConnection[] = [];

beforeAll(async () => {
  [buyer, otherBuyer, northwind, atelier, carrier] = await Promise.all([
    registerBuyer(client),
    registerBuyer(client),
    login(client, DEMO.seller),
    login(client, DEMO.seller2),
    login(client, DEMO.carrier),
  ]);
});

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
});

const open = (token?: string) => {
  const connection = connect(system.gatewayUrl, token);
  connections.push(connection);
  return connection;
};

interface OrderPayload {
  orderStatusChanged: {
    id: string;
    status: string;
    payment: { status: string } | null;
    items: { product: { id: string; title: string }; quantity: number }[];
    shipments: { id: string; status: string; seller: { name: string } }[];
  };
}

interface ShipmentPayload {
  shipmentUpdated: {
    id: string;
    status: string;
    carrier: string | null;
    trackingNumber: string | null;
    events: { status: string; description: string; occurredAt: string }[];
    seller: { id: string; name: string };
    order: { id: string; status: string };
  };
}

interface FeedPayload {
  sellerOrderPlaced: {
    id: string;
    status: string;
    order: { id: string };
    items: { product: { id: string; title: string }; quantity: number }[];
  };
}

const ship = async (token: string, shipmentId: string) => {
  const { shipShipment } = await client.data<{ shipShipment: UserErrors }>(
    contractOperation('ShipShipment'),
    { shipmentId, input: { carrier: 'DHL' } },
    token,
  );
  expect(shipShipment.userErrors).toEqual([]);
};

const track = async (shipmentId: string, status: string) => {
  const { recordTrackingEvent } = await client.data<{ recordTrackingEvent: UserErrors }>(
    contractOperation('RecordTrackingEvent'),
    { shipmentId, input: { status, description: `Parcel ${status.toLowerCase().replace(/_/g, ' ')}` } },
    carrier.accessToken,
  );
  expect(recordTrackingEvent.userErrors).toEqual([]);
};

const CARRIER_STEPS = ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;

/** Consecutive runs collapsed: [A, A, B, B, C] → [A, B, C]. */
const runs = <T>(values: readonly T[]) => values.filter((value, i) => i === 0 || values[i - 1] !== value);

/** A buyer's order with one product of each demo shop, paid and CONFIRMED, with both shipments. */
async function confirmedTwoShopOrder(token: string) {
  const lamp = await listProduct(client, northwind.accessToken, token, { stock: 5, title: 'Realtime lamp' });
  const vase = await listProduct(client, atelier.accessToken, token, { stock: 5, title: 'Realtime vase' });
  await addToCart(client, token, lamp, 1);
  await addToCart(client, token, vase, 2);
  const placed = await checkout(client, token);
  const order = await waitForOrder(client, token, placed.order!.id, ['CONFIRMED'], {
    also: (o) => o.shipments.length === 2,
  });
  return { order, lamp, vase };
}

describe('orderStatusChanged', () => {
  it('shows the buyer every status of the saga in order, once each, each payload across five subgraphs', async () => {
    const lamp = await listProduct(client, northwind.accessToken, buyer.accessToken, {
      stock: 5,
      title: 'Saga lamp',
    });
    const vase = await listProduct(client, atelier.accessToken, buyer.accessToken, {
      stock: 5,
      title: 'Saga vase',
    });
    await addToCart(client, buyer.accessToken, lamp, 1);
    await addToCart(client, buyer.accessToken, vase, 2);
    // Payments is down while the order is placed, so the subscription starts while it is PENDING.
    const paymentsDown = await system.stopSubgraph('payments');
    const placed = await checkout(client, buyer.accessToken);
    const orderId = placed.order!.id;
    const followed = open(buyer.accessToken).follow<OrderPayload>(contractOperation('OrderStatus'), {
      orderId,
    });
    await followed.until((p) => p.orderStatusChanged.status === 'PENDING');
    await paymentsDown.restart();

    const confirmed = await followed.until(
      (p) => p.orderStatusChanged.status === 'CONFIRMED' && p.orderStatusChanged.shipments.length === 2,
    );
    const bySeller = new Map(confirmed.orderStatusChanged.shipments.map((s) => [s.seller.name, s.id]));
    await ship(northwind.accessToken, bySeller.get('Northwind Electronics')!);
    await ship(atelier.accessToken, bySeller.get('Atelier Home & Style')!);
    for (const step of CARRIER_STEPS) {
      for (const shipmentId of bySeller.values()) await track(shipmentId, step);
    }
    const completed = await followed.until((p) => p.orderStatusChanged.status === 'COMPLETED');

    const statuses = followed.payloads.map((p) => p.orderStatusChanged.status);
    expect(runs(statuses)).toEqual(['PENDING', 'CONFIRMED', 'COMPLETED']);
    // No payload is sent twice: each differs from the one before it.
    const serialized = followed.payloads.map((p) => JSON.stringify(p));
    expect(serialized.filter((p, i) => i > 0 && p === serialized[i - 1])).toEqual([]);
    // Every payload names the products (catalog) and, once there are shipments, their shops (sellers).
    for (const { orderStatusChanged: order } of followed.payloads) {
      expect(order.id).toBe(orderId);
      expect(order.items.map((i) => i.product.title).sort()).toEqual(['Saga lamp', 'Saga vase']);
      for (const shipment of order.shipments) expect(shipment.seller.name).toMatch(/Northwind|Atelier/);
    }
    expect(completed.orderStatusChanged.payment?.status).toBe('CAPTURED');
    expect(completed.orderStatusChanged.shipments.map((s) => s.status)).toEqual(['DELIVERED', 'DELIVERED']);
    // The payment only ever moved forward, through AUTHORIZED to CAPTURED (PENDING may be too brief to
    // be seen: a payload is the state when the gateway resolved it).
    const paymentStatuses = runs(
      followed.payloads.map((p) => p.orderStatusChanged.payment?.status ?? 'NONE'),
    );
    expect(['NONE', 'PENDING', 'AUTHORIZED', 'CAPTURED'].filter((s) => paymentStatuses.includes(s))).toEqual(
      paymentStatuses,
    );
    expect(paymentStatuses).toEqual(expect.arrayContaining(['AUTHORIZED', 'CAPTURED']));
    // Each payload after the first was caused by a saga event the gateway names.
    expect(followed.events[0]?.event).toBeNull();
    for (const realtime of followed.events.slice(1))
      expect(realtime?.event).toMatch(/^(order|payment|shipment)\./);
  });

  it("refuses another buyer's order as NOT_FOUND, and an anonymous connection as UNAUTHENTICATED", async () => {
    const { order } = await confirmedTwoShopOrder(buyer.accessToken);
    const stranger = open(otherBuyer.accessToken).follow<OrderPayload>(contractOperation('OrderStatus'), {
      orderId: order.id,
    });
    const anonymous = open().follow<OrderPayload>(contractOperation('OrderStatus'), { orderId: order.id });
    await Promise.all([stranger.ended(), anonymous.ended()]);
    expect(stranger.payloads).toEqual([]);
    expect(stranger.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(anonymous.payloads).toEqual([]);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('closes a connection whose token is forged', async () => {
    const forged = `${buyer.accessToken.slice(0, -4)}AAAA`;
    const connection = open(forged);
    const followed = connection.follow<OrderPayload>(contractOperation('OrderStatus'), { orderId: 'x' });
    await eventually(async () => connection.closed() ?? undefined);
    expect(connection.closed()).toMatchObject({ code: 4403 });
    expect(followed.payloads).toEqual([]);
  });
});

describe('shipmentUpdated', () => {
  it('shows the shop each carrier event of its shipment, and refuses another shop', async () => {
    const { order } = await confirmedTwoShopOrder(buyer.accessToken);
    const shipment = order.shipments.find((s) => s.seller.name === 'Northwind Electronics')!;
    const followed = open(northwind.accessToken).follow<ShipmentPayload>(
      contractOperation('ShipmentTracking'),
      {
        shipmentId: shipment.id,
      },
    );
    const initial = await followed.until(() => true);
    expect(initial.shipmentUpdated).toMatchObject({
      id: shipment.id,
      status: 'PENDING',
      seller: { name: 'Northwind Electronics' },
      order: { id: order.id, status: 'CONFIRMED' },
    });
    const foreign = open(atelier.accessToken).follow<ShipmentPayload>(contractOperation('ShipmentTracking'), {
      shipmentId: shipment.id,
    });
    await foreign.ended();
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    await ship(northwind.accessToken, shipment.id);
    await followed.until((p) => p.shipmentUpdated.status === 'LABEL_CREATED');
    for (const step of CARRIER_STEPS) {
      await track(shipment.id, step);
      await followed.until((p) => p.shipmentUpdated.status === step);
    }
    expect(runs(followed.payloads.map((p) => p.shipmentUpdated.status))).toEqual([
      'PENDING',
      'LABEL_CREATED',
      ...CARRIER_STEPS,
    ]);
    const last = followed.payloads.at(-1)!.shipmentUpdated;
    expect(last.carrier).toBe('DHL');
    expect(last.trackingNumber).toBeTruthy();
    expect(last.events.map((e) => e.status)).toEqual(['PENDING', 'LABEL_CREATED', ...CARRIER_STEPS]);
    expect(foreign.payloads).toEqual([]);
  });
});

describe('sellerOrderPlaced', () => {
  it("gives each shop its own new paid orders, with its own items only, and nothing of other shops'", async () => {
    const northwindFeed = open(northwind.accessToken).follow<FeedPayload>(
      contractOperation('SellerOrderFeed'),
    );
    const atelierFeed = open(atelier.accessToken).follow<FeedPayload>(contractOperation('SellerOrderFeed'));
    const buyerFeed = open(otherBuyer.accessToken).follow<FeedPayload>(contractOperation('SellerOrderFeed'));
    await buyerFeed.ended();
    expect(buyerFeed.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await new Promise((resolve) => setTimeout(resolve, 200)); // both feeds are listening

    const lamp = await listProduct(client, northwind.accessToken, buyer.accessToken, {
      stock: 5,
      title: 'Feed lamp',
    });
    await addToCart(client, buyer.accessToken, lamp, 3);
    const northwindOnly = (await checkout(client, buyer.accessToken)).order!.id;
    const first = await northwindFeed.until((p) => p.sellerOrderPlaced.order.id === northwindOnly);
    expect(first.sellerOrderPlaced).toMatchObject({
      status: 'CONFIRMED',
      items: [{ product: { id: lamp, title: 'Feed lamp' }, quantity: 3 }],
    });

    const { order: both, vase } = await confirmedTwoShopOrder(buyer.accessToken);
    const atelierPart = await atelierFeed.until((p) => p.sellerOrderPlaced.order.id === both.id);
    expect(atelierPart.sellerOrderPlaced.items).toEqual([
      { product: { id: vase, title: 'Realtime vase' }, quantity: 2 },
    ]);
    const northwindPart = await northwindFeed.until((p) => p.sellerOrderPlaced.order.id === both.id);
    expect(northwindPart.sellerOrderPlaced.items.map((i) => i.product.title)).toEqual(['Realtime lamp']);

    // Atelier never heard of the Northwind-only order; each shop got each of its orders once.
    expect(atelierFeed.payloads.map((p) => p.sellerOrderPlaced.order.id)).toEqual([both.id]);
    expect(northwindFeed.payloads.map((p) => p.sellerOrderPlaced.order.id)).toEqual([northwindOnly, both.id]);
  });
});

/** A bare graphql-ws socket, initialised; `autoPong: false` plays a client that vanished without closing. */
async function rawSocket(token: string, autoPong: boolean) {
  const socket = new WebSocket(wsUrlOf(system.gatewayUrl), 'graphql-transport-ws', { autoPong });
  const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await new Promise((resolve) => socket.once('message', resolve)); // connection_ack
  return { socket, closed };
}

describe('heartbeat', () => {
  it('drops a connection that stops answering pings, and keeps one that answers', async () => {
    const shopper = await registerBuyer(client);
    const silent = await rawSocket(shopper.accessToken, false);
    const alive = await rawSocket(shopper.accessToken, true);
    const started = Date.now();
    expect(await silent.closed).toBe(1006); // terminated, no closing handshake
    expect(Date.now() - started).toBeLessThan(LIMITS.heartbeatMs * 4);
    expect(alive.socket.readyState).toBe(WebSocket.OPEN);
    alive.socket.close();
    await alive.closed;
  });
});

describe('limits', () => {
  it('refuses a subscription beyond the per-connection limit, and accepts one again once another ended', async () => {
    const shopper = await registerBuyer(client);
    const { order } = await confirmedTwoShopOrder(shopper.accessToken);
    const connection = open(shopper.accessToken);
    const follow = () =>
      connection.follow<OrderPayload>(contractOperation('OrderStatus'), { orderId: order.id });
    const allowed = Array.from({ length: LIMITS.subscriptionsPerConnection }, follow);
    await Promise.all(allowed.map((f) => f.until(() => true)));
    const extra = follow();
    await extra.ended();
    expect(extra.errors?.[0]).toMatchObject({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
    allowed[0]!.stop();
    const again = follow();
    await expect(again.until((p) => p.orderStatusChanged.id === order.id)).resolves.toBeDefined();
  });

  it("closes a user's connection beyond the per-user limit with 4403 and the reason", async () => {
    const shopper = await registerBuyer(client);
    const allowed = Array.from({ length: LIMITS.connectionsPerUser }, () => open(shopper.accessToken));
    await Promise.all(allowed.map((c) => c.connected));
    const extra = open(shopper.accessToken);
    await eventually(async () => extra.closed() ?? undefined);
    expect(extra.closed()).toMatchObject({
      code: 4403,
      reason: expect.stringContaining('Too many connections'),
    });
    // Another user is not affected.
    const other = open((await registerBuyer(client)).accessToken);
    await expect(other.connected).resolves.toBeUndefined();
  });

  it('closes a connection that sends a message over the size limit (1009), and serves nothing of it', async () => {
    const connection = open(buyer.accessToken);
    await connection.connected;
    const padding = `# ${'x'.repeat(LIMITS.messageBytes)}`;
    const followed = connection.follow(`${padding}\nsubscription { sellerOrderPlaced { id } }`);
    await eventually(async () => connection.closed() ?? undefined);
    expect(connection.closed()?.code).toBe(1009);
    expect(followed.payloads).toEqual([]);
  });
});
