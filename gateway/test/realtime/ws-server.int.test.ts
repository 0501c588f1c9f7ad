import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import type { Identity } from '@mp/auth';
import { closeServer } from '@mp/kit';
import { buildSchema, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { GatewayContext } from '../../src/context.ts';
import { createMemoryPubSub } from '../../src/realtime/memory-pubsub.ts';
import type { RealtimePubSub } from '../../src/realtime/pubsub.ts';
import {
  attachRealtimeServer,
  type RealtimeLimits,
  type RealtimeServer,
} from '../../src/realtime/ws-server.ts';
import { capturingLogger, deferred, realtimeMessage, within } from './helpers.ts';

// A stand-in for the federated API: the same root fields the realtime server relies on, resolved from
// memory, with the caller's identity deciding what it may see (as the subgraphs do).
const typeDefs = /* GraphQL */ `
  type Query {
    me: String
    order(id: ID!): Order
    shipment(id: ID!): Shipment
    sellerOrder(id: ID!): SellerOrder
  }
  type Order {
    id: ID!
    status: String!
  }
  type Shipment {
    id: ID!
    status: String!
  }
  type SellerOrder {
    id: ID!
    status: String!
  }
  type Subscription {
    orderStatusChanged(orderId: ID!): Order!
    shipmentUpdated(shipmentId: ID!): Shipment!
    sellerOrderPlaced: SellerOrder!
  }
`;
const schema = buildSchema(typeDefs);

const identities: Record<string, Identity> = {
  'token-alice': { userId: 'alice', scopes: ['buyer'], sellerId: null },
  'token-bob': { userId: 'bob', scopes: ['buyer'], sellerId: null },
};
const orders = new Map<string, { id: string; status: string; buyerId: string }>();

const ORDER_STATUS = `subscription OrderStatus($orderId: ID!) {
  orderStatusChanged(orderId: $orderId) { id status }
}`;

const limits: RealtimeLimits = {
  heartbeatMs: 60_000,
  maxConnections: 20,
  maxConnectionsPerUser: 2,
  maxSubscriptionsPerConnection: 2,
  maxMessageBytes: 64 * 1024,
  maxQueuedPayloads: 10,
  maxTokens: 1_000,
};

let http: Server;
let apollo: ApolloServer<GatewayContext> | undefined;
let pubsub: RealtimePubSub;
let realtime: RealtimeServer;
let stopped: boolean;
let url: string;
const clients: Client[] = [];

const verifyKnown = async (token: string): Promise<Identity> => {
  const identity = identities[token];
  if (!identity) throw new Error('invalid access token');
  return identity;
};

/** Starts the realtime server on a fresh HTTP server; each test starts its own. */
async function start(
  options: { limits?: Partial<RealtimeLimits>; verify?: (token: string) => Promise<Identity> } = {},
) {
  apollo = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers: {
      Query: {
        me: (_: unknown, __: unknown, context: GatewayContext) => context.identity?.userId ?? null,
        order: (_: unknown, args: { id: string }, context: GatewayContext) => {
          const order = orders.get(args.id);
          return order && order.buyerId === context.identity?.userId ? order : null;
        },
      },
    },
  });
  await apollo.start();
  http = createServer((_req, res) => res.writeHead(404).end());
  pubsub = createMemoryPubSub();
  realtime = attachRealtimeServer({
    http,
    apollo,
    schema: () => schema,
    validationRules: [],
    verify: options.verify ?? verifyKnown,
    pubsub,
    limits: { ...limits, ...options.limits },
    log: capturingLogger().log,
  });
  stopped = false;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`;
}

beforeEach(() => {
  orders.clear();
  orders.set('order-1', { id: 'order-1', status: 'PENDING', buyerId: 'alice' });
  stopped = true; // until a test starts the server
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  if (!apollo) return;
  if (!stopped) await realtime.stop();
  await closeServer(http);
  await apollo.stop();
  await pubsub.close();
});

interface Connection {
  client: Client;
  /** Resolves with the close event once the socket closed. */
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves once the connection is acknowledged. */
  connected: Promise<void>;
}

function connect(token?: string): Connection {
  const closed = deferred<{ code: number; reason: string }>();
  const connected = deferred<void>();
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: false,
    retryAttempts: 0,
    onNonLazyError: () => undefined,
    on: {
      connected: () => connected.resolve(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closed.resolve({ code, reason: String(reason) });
      },
    },
  });
  clients.push(client);
  return { client, closed: closed.promise, connected: connected.promise };
}

interface Followed {
  payloads: ExecutionResult[];
  /** Resolves with the payloads once `count` arrived. */
  received: (count: number) => Promise<ExecutionResult[]>;
  /** Resolves with the errors, or null when completed. */
  ended: Promise<unknown[] | null>;
  stop: () => void;
}

function follow(client: Client, query: string, variables: Record<string, unknown> = {}): Followed {
  const payloads: ExecutionResult[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const ended = deferred<unknown[] | null>();
  const stop = client.subscribe(
    { query, variables },
    {
      next: (result) => {
        payloads.push(result as ExecutionResult);
        for (const waiter of waiters) if (payloads.length >= waiter.count) waiter.resolve();
      },
      error: (error) => ended.resolve(Array.isArray(error) ? error : [error]),
      complete: () => ended.resolve(null),
    },
  );
  return {
    payloads,
    received: (count) => {
      const reached = deferred<void>();
      if (payloads.length >= count) reached.resolve();
      else waiters.push({ count, resolve: () => reached.resolve() });
      return within(
        reached.promise.then(() => payloads),
        5_000,
        `${count} payload(s)`,
      );
    },
    ended: within(ended.promise, 5_000, 'the subscription end'),
    stop,
  };
}

describe('attachRealtimeServer', () => {
  it('streams the current state, then each change, resolved as the subscriber', async () => {
    await start();
    const { client } = connect('token-alice');
    const followed = follow(client, ORDER_STATUS, { orderId: 'order-1' });
    const [first] = await followed.received(1);
    expect(first).toEqual({
      data: { orderStatusChanged: { id: 'order-1', status: 'PENDING' } },
      extensions: { realtime: { event: null, occurredAt: null } },
    });

    orders.get('order-1')!.status = 'CONFIRMED';
    const change = realtimeMessage('order.confirmed');
    await pubsub.publish('order:order-1', change);
    const payloads = await followed.received(2);
    expect(payloads[1]).toEqual({
      data: { orderStatusChanged: { id: 'order-1', status: 'CONFIRMED' } },
      extensions: { realtime: { event: 'order.confirmed', occurredAt: change.occurredAt } },
    });
    expect(realtime.stats()).toEqual({ connections: 1, subscriptions: 1, groups: 1 });
  });

  it("refuses someone else's order with NOT_FOUND and keeps the connection open", async () => {
    await start();
    const connection = connect('token-bob');
    const followed = follow(connection.client, ORDER_STATUS, { orderId: 'order-1' });
    expect(await followed.ended).toEqual([expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })]);
    expect(followed.payloads).toEqual([]);

    const query = follow(connection.client, '{ me }');
    expect(await query.received(1)).toEqual([{ data: { me: 'bob' } }]);
    expect(realtime.stats()).toMatchObject({ connections: 1, subscriptions: 0, groups: 0 });
  });

  it("runs a query sent over the socket as the connection's user", async () => {
    await start();
    const { client } = connect('token-alice');
    const followed = follow(client, 'query Me { me order(id: "order-1") { status } }');
    expect(await followed.received(1)).toEqual([{ data: { me: 'alice', order: { status: 'PENDING' } } }]);
    expect(await followed.ended).toBeNull();
  });

  it('refuses an invalid document with GRAPHQL_VALIDATION_FAILED', async () => {
    await start();
    const { client } = connect('token-alice');
    const followed = follow(client, 'subscription { orderStatusChanged(orderId: "order-1") { nope } }');
    expect(await followed.ended).toEqual([
      expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
  });

  it('refuses bad variables with an error, keeping the connection', async () => {
    await start();
    const connection = connect('token-alice');
    const followed = follow(connection.client, ORDER_STATUS, { orderId: { nested: true } });
    expect(await followed.ended).toEqual([
      expect.objectContaining({ message: expect.stringContaining('$orderId') }),
    ]);
    const query = follow(connection.client, '{ me }');
    expect(await query.received(1)).toEqual([{ data: { me: 'alice' } }]);
  });

  it('refuses a null for a non-null argument, through a defaulted variable, with BAD_USER_INPUT, keeping the connection', async () => {
    await start();
    const connection = connect('token-alice');
    let closed = false;
    void connection.closed.then(() => (closed = true));
    const refused = follow(
      connection.client,
      'subscription ($id: ID = "order-1") { orderStatusChanged(orderId: $id) { id status } }',
      { id: null },
    );
    expect(await refused.ended).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('"orderId"'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(refused.payloads).toEqual([]);

    const followed = follow(connection.client, ORDER_STATUS, { orderId: 'order-1' });
    const [first] = await followed.received(1);
    expect(first?.data).toEqual({ orderStatusChanged: { id: 'order-1', status: 'PENDING' } });
    expect(closed).toBe(false);
    expect(realtime.stats()).toEqual({ connections: 1, subscriptions: 1, groups: 1 });
  });

  it('closes a connection whose token does not verify with 4403 Forbidden', async () => {
    await start();
    const connection = connect('token-forged');
    expect(await within(connection.closed, 5_000, 'close')).toEqual({
      code: 4403,
      reason: 'Forbidden: invalid access token',
    });
  });

  it('refuses a subscription beyond the per-connection limit', async () => {
    await start();
    const { client } = connect('token-alice');
    const followed = [1, 2].map(() => follow(client, ORDER_STATUS, { orderId: 'order-1' }));
    for (const each of followed) await each.received(1);
    const third = follow(client, ORDER_STATUS, { orderId: 'order-1' });
    expect(await third.ended).toEqual([
      expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }),
    ]);

    followed[0]!.stop(); // a completed subscription frees its place
    await expect.poll(() => realtime.stats().subscriptions).toBe(1);
    const fourth = follow(client, ORDER_STATUS, { orderId: 'order-1' });
    await fourth.received(1);
  });

  it("closes a user's connection beyond the per-user limit, and frees the place on close", async () => {
    await start();
    const first = connect('token-alice');
    const second = connect('token-alice');
    await Promise.all([first.connected, second.connected]);
    const third = connect('token-alice');
    expect(await within(third.closed, 5_000, 'close')).toEqual({
      code: 4403,
      reason: 'Too many connections for this user (at most 2)',
    });
    const other = connect('token-bob'); // another user is not counted against alice
    await within(other.connected, 5_000, 'bob connected');

    await first.client.dispose();
    await expect.poll(() => realtime.stats().connections).toBe(2);
    const again = connect('token-alice');
    await within(again.connected, 5_000, 'alice reconnected');
  });

  it('completes every subscription on stop() and refuses new connections', async () => {
    await start();
    const { client } = connect('token-alice');
    const followed = follow(client, ORDER_STATUS, { orderId: 'order-1' });
    await followed.received(1);
    stopped = true;
    await realtime.stop();
    expect(await followed.ended).toBeNull();
    expect(realtime.stats()).toEqual({ connections: 0, subscriptions: 0, groups: 0 });
    const late = connect('token-alice');
    await within(late.closed, 5_000, 'the refused connection closing');
  });

  it('may be stopped twice: the second stop() returns the same promise, and none rejects', async () => {
    await start();
    const { client } = connect('token-alice');
    const followed = follow(client, ORDER_STATUS, { orderId: 'order-1' });
    await followed.received(1);
    stopped = true;
    const first = realtime.stop();
    const second = realtime.stop();
    expect(second).toBe(first);
    await expect(within(first, 5_000, 'stop')).resolves.toBeUndefined();
    await expect(within(realtime.stop(), 5_000, 'stop once stopped')).resolves.toBeUndefined();
    expect(await followed.ended).toBeNull();
    expect(realtime.stats()).toEqual({ connections: 0, subscriptions: 0, groups: 0 });
  });

  it('closes a connection beyond the gateway-wide limit with 4403', async () => {
    await start({ limits: { maxConnections: 1 } });
    const first = connect('token-alice');
    await within(first.connected, 5_000, 'first connection');
    const second = connect('token-bob');
    expect(await within(second.closed, 5_000, 'close')).toEqual({
      code: 4403,
      reason: 'Too many connections to this gateway',
    });
  });

  it('keeps nothing of a connection that closed while its token was being checked', async () => {
    const release = deferred<void>();
    let verifications = 0;
    await start({
      limits: { maxConnectionsPerUser: 1 },
      verify: async (token) => {
        verifications += 1;
        if (verifications === 1) await release.promise; // only the first check is slow
        return { userId: token, scopes: ['buyer'], sellerId: null };
      },
    });
    const socket = new WebSocket(url, 'graphql-transport-ws');
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer alice' } }));
    await expect.poll(() => verifications, { timeout: 5_000 }).toBe(1);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.close(); // gone before the server answered
    await closed;
    release.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(realtime.stats().connections).toBe(0);
    // The user's one allowed connection was not used up by the one that left.
    await within(connect('alice').connected, 5_000, 'the second connection');
    expect(realtime.stats().connections).toBe(1);
  });

  it('counts the connections still verifying their token against the gateway-wide limit', async () => {
    const release = deferred<void>();
    let verifications = 0;
    await start({
      limits: { maxConnections: 2 },
      verify: async (token) => {
        verifications += 1;
        await release.promise; // a slow verifier: the burst arrives while the first ones still verify
        return { userId: token, scopes: ['buyer'], sellerId: null };
      },
    });
    let refusedEarly = 0;
    const outcomes = ['token-1', 'token-2', 'token-3'].map((token) => {
      const { connected, closed } = connect(token);
      return within(
        Promise.race([
          connected.then(() => 'connected'),
          closed.then(({ code, reason }) => {
            refusedEarly += 1;
            return `closed ${code}: ${reason}`;
          }),
        ]),
        5_000,
        'the connection outcome',
      );
    });
    // Every connection_init has reached the server: each is verifying, or was refused.
    await expect.poll(() => verifications + refusedEarly, { timeout: 5_000 }).toBe(3);
    release.resolve();

    expect((await Promise.all(outcomes)).sort()).toEqual([
      'closed 4403: Too many connections to this gateway',
      'connected',
      'connected',
    ]);
    expect(verifications).toBe(2);
    expect(realtime.stats().connections).toBe(2);
  });
});
