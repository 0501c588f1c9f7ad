import { contractOperation } from '@mp/testkit';
import { Kind, parse, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryPubSub } from '../../src/realtime/memory-pubsub.ts';
import type { RealtimeMessage, RealtimePubSub } from '../../src/realtime/pubsub.ts';
import { SubscriberStream } from '../../src/realtime/subscriber-stream.ts';
import { SubscriptionHub, type Subscriber } from '../../src/realtime/subscription-hub.ts';
import { prepareSubscription, type PreparedSubscription } from '../../src/realtime/subscription-query.ts';
import {
  apiSchema,
  capturingLogger,
  deferred,
  observedPubSub,
  realtimeMessage,
  within,
  type Deferred,
} from './helpers.ts';

const schema = apiSchema();

function prepare(name: string, variables: Record<string, unknown>): PreparedSubscription {
  const result = prepareSubscription(schema, parse(contractOperation(name)), name, variables);
  if (Array.isArray(result)) throw new Error(`${name} refused: ${JSON.stringify(result)}`);
  return result as PreparedSubscription;
}

const orderStatus = (orderId: string) => prepare('OrderStatus', { orderId });
const shipmentTracking = (shipmentId: string) => prepare('ShipmentTracking', { shipmentId });
const sellerFeed = () => prepare('SellerOrderFeed', {});

const alice: Subscriber = {
  token: 'token-alice',
  identity: { userId: 'alice', scopes: ['buyer'], sellerId: null },
};
const bob: Subscriber = {
  token: 'token-bob',
  identity: { userId: 'bob', scopes: ['buyer'], sellerId: null },
};
const shopA: Subscriber = {
  token: 'token-shop-a',
  identity: { userId: 'owner-a', scopes: ['buyer', 'seller'], sellerId: 'seller-a' },
};
const shopB: Subscriber = {
  token: 'token-shop-b',
  identity: { userId: 'owner-b', scopes: ['buyer', 'seller'], sellerId: 'seller-b' },
};

interface ResolveCall {
  query: string;
  variables: Readonly<Record<string, unknown>>;
  subscriber: Subscriber;
}

const responseKeyOf = (query: string) => {
  const operation = parse(query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const root = operation.selectionSet.selections[0]!;
  return root.kind === Kind.FIELD ? (root.alias ?? root.name).value : '?';
};

/**
 * A hub on an observed memory pub/sub, with a fake gateway behind `resolve`: it answers from `state`
 * (id → the object Query.<field>(id) returns; absent → null), records every call, and can hold
 * resolutions until the test releases them.
 */
class Harness {
  readonly pubsub: ReturnType<typeof observedPubSub>;
  readonly calls: ResolveCall[] = [];
  readonly state = new Map<string, unknown>();
  readonly revoked = new Set<string>();
  readonly logged = capturingLogger();
  readonly hub: SubscriptionHub;
  /** Replaces the fake gateway's answer (the default reads `state`). */
  respond: (id: string, call: ResolveCall) => FormattedExecutionResult = (id, call) => ({
    data: { [responseKeyOf(call.query)]: this.state.get(id) ?? null },
  });
  private readonly gates: Deferred<void>[] = [];
  private readonly callWaiters: { count: number; resolve: () => void }[] = [];

  constructor(options: { pubsub?: RealtimePubSub; maxPendingItems?: number } = {}) {
    this.pubsub = observedPubSub(options.pubsub ?? createMemoryPubSub());
    this.hub = new SubscriptionHub({
      pubsub: this.pubsub,
      resolve: async (query, variables, subscriber) => {
        const call = { query, variables, subscriber };
        this.calls.push(call);
        for (const waiter of this.callWaiters.filter((w) => this.calls.length >= w.count)) waiter.resolve();
        // The answer reflects the state as the resolution starts; a held one returns it when released.
        let answer: FormattedExecutionResult | undefined;
        let failure: unknown;
        try {
          answer = this.respond(String(variables.realtimeKey), call);
        } catch (error) {
          failure = error;
        }
        const gate = this.gates.shift();
        if (gate) await gate.promise;
        if (failure) throw failure;
        return answer!;
      },
      checkToken: async (token) => {
        if (this.revoked.has(token)) throw new Error('jwt expired');
        return {};
      },
      maxPendingItems: options.maxPendingItems ?? 10,
      log: this.logged.log,
    });
  }

  /** The next resolution to start waits until the returned gate is resolved. */
  hold(): Deferred<void> {
    const gate = deferred<void>();
    this.gates.push(gate);
    return gate;
  }

  /** Resolves once `count` resolutions have started. */
  callsReached(count: number): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    const reached = deferred<void>();
    this.callWaiters.push({ count, resolve: () => reached.resolve() });
    return within(reached.promise, 2_000, `resolution #${count}`);
  }

  /** The key variable values of every resolution so far. */
  keys(): unknown[] {
    return this.calls.map((call) => call.variables.realtimeKey);
  }

  join(prepared: PreparedSubscription, subscriber: Subscriber, capacity = 100) {
    const stream = new SubscriberStream(capacity);
    return { stream, joined: this.hub.join(prepared, subscriber, stream) };
  }

  /** Joins and expects to be admitted. */
  async admitted(prepared: PreparedSubscription, subscriber: Subscriber): Promise<SubscriberStream> {
    const { stream, joined } = this.join(prepared, subscriber);
    expect(await within(joined, 2_000, 'join')).toBeNull();
    return stream;
  }

  publish(channel: string, message: RealtimeMessage): Promise<void> {
    return this.pubsub.publish(channel, message);
  }
}

/** The stream's next payload (fails the test instead of hanging when none comes). */
async function nextPayload(stream: SubscriberStream): Promise<FormattedExecutionResult> {
  const result = await within(stream.next(), 2_000, 'next payload');
  if (result.done) throw new Error('the stream completed instead of yielding a payload');
  return result.value;
}

async function expectCompleted(stream: SubscriberStream): Promise<void> {
  expect(await within(stream.next(), 2_000, 'completion')).toEqual({ value: undefined, done: true });
}

/** Lets every already-queued promise reaction run (no timer involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const order = (id: string, status: string) => ({ id, status, payment: null, items: [], shipments: [] });

let harness: Harness;
afterEach(async () => {
  await harness?.hub.close();
});

describe('SubscriptionHub, state subscriptions', () => {
  it('sends the current state first (join resolves null), then one payload per changed result', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const stream = await harness.admitted(orderStatus('order-1'), alice);

    expect(await nextPayload(stream)).toEqual({
      data: { orderStatusChanged: order('order-1', 'PENDING') },
      extensions: { realtime: { event: null, occurredAt: null } },
    });

    harness.state.set('order-1', order('order-1', 'CONFIRMED'));
    const confirmed = realtimeMessage('order.confirmed');
    await harness.publish('order:order-1', confirmed);
    expect(await nextPayload(stream)).toEqual({
      data: { orderStatusChanged: order('order-1', 'CONFIRMED') },
      extensions: { realtime: { event: 'order.confirmed', occurredAt: confirmed.occurredAt } },
    });

    const prepared = orderStatus('order-1');
    expect(harness.calls).toEqual([
      { query: prepared.query, variables: { realtimeKey: 'order-1' }, subscriber: alice },
      { query: prepared.query, variables: { realtimeKey: 'order-1' }, subscriber: alice },
    ]);
  });

  it('does not send a result equal to the previous one again', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const stream = await harness.admitted(orderStatus('order-1'), alice);
    await nextPayload(stream);

    await harness.publish('order:order-1', realtimeMessage('payment.authorized')); // status unchanged
    await harness.callsReached(2);
    harness.state.set('order-1', order('order-1', 'CONFIRMED'));
    await harness.publish('order:order-1', realtimeMessage('order.confirmed'));

    // One group handles its changes in order: a repeat of PENDING would have come before this.
    const next = await nextPayload(stream);
    expect(next.data).toEqual({ orderStatusChanged: order('order-1', 'CONFIRMED') });
    expect(next.extensions).toMatchObject({ realtime: { event: 'order.confirmed' } });
    expect(harness.calls).toHaveLength(3);
  });

  it('sends a state that changed back to an earlier one', async () => {
    harness = new Harness();
    harness.state.set('shipment-1', { id: 'shipment-1', status: 'IN_TRANSIT' });
    const stream = await harness.admitted(shipmentTracking('shipment-1'), alice);
    await nextPayload(stream);
    for (const status of ['FAILED_ATTEMPT', 'IN_TRANSIT']) {
      harness.state.set('shipment-1', { id: 'shipment-1', status });
      await harness.publish('shipment:shipment-1', realtimeMessage('shipment.tracking_recorded'));
      expect((await nextPayload(stream)).data).toEqual({ shipmentUpdated: { id: 'shipment-1', status } });
    }
  });

  it('shares one resolution per change among subscribers with the same token, operation and arguments', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const firstTab = await harness.admitted(orderStatus('order-1'), alice);
    const secondTab = await harness.admitted(orderStatus('order-1'), alice);
    await nextPayload(firstTab);
    await nextPayload(secondTab);
    expect(harness.hub.stats()).toEqual({ groups: 1, subscribers: 2 });
    expect(harness.pubsub.listenerCount('order:order-1')).toBe(1);
    const before = harness.calls.length;

    harness.state.set('order-1', order('order-1', 'CONFIRMED'));
    await harness.publish('order:order-1', realtimeMessage('order.confirmed'));
    expect((await nextPayload(firstTab)).data).toEqual({ orderStatusChanged: order('order-1', 'CONFIRMED') });
    expect((await nextPayload(secondTab)).data).toEqual({
      orderStatusChanged: order('order-1', 'CONFIRMED'),
    });
    await settle();
    expect(harness.calls.length - before).toBe(1);
  });

  it('resolves separately, as each subscriber, for different tokens', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const aliceStream = await harness.admitted(orderStatus('order-1'), alice);
    const bobStream = await harness.admitted(orderStatus('order-1'), bob);
    await nextPayload(aliceStream);
    await nextPayload(bobStream);
    expect(harness.hub.stats()).toEqual({ groups: 2, subscribers: 2 });
    const before = harness.calls.length;

    await harness.publish('order:order-1', realtimeMessage('payment.captured'));
    await harness.callsReached(before + 2);
    await settle();
    expect(
      harness.calls
        .slice(before)
        .map((call) => call.subscriber.token)
        .sort(),
    ).toEqual(['token-alice', 'token-bob']);
    expect(harness.calls).toHaveLength(before + 2);
  });

  it('does not share between different arguments of one subscriber', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    harness.state.set('order-2', order('order-2', 'CONFIRMED'));
    const first = await harness.admitted(orderStatus('order-1'), alice);
    const second = await harness.admitted(orderStatus('order-2'), alice);
    expect((await nextPayload(first)).data).toEqual({ orderStatusChanged: order('order-1', 'PENDING') });
    expect((await nextPayload(second)).data).toEqual({ orderStatusChanged: order('order-2', 'CONFIRMED') });
    expect(harness.hub.stats()).toEqual({ groups: 2, subscribers: 2 });

    harness.state.set('order-2', order('order-2', 'COMPLETED'));
    await harness.publish('order:order-2', realtimeMessage('order.completed'));
    expect((await nextPayload(second)).data).toEqual({ orderStatusChanged: order('order-2', 'COMPLETED') });
    expect(harness.keys()).toEqual(['order-1', 'order-2', 'order-2']);
  });

  it('refuses with the errors of a first payload whose data is null, leaving no group behind', async () => {
    harness = new Harness();
    const errors = [{ message: 'Order not found', extensions: { code: 'NOT_FOUND' } }];
    harness.respond = () => ({ data: null, errors });
    const { stream, joined } = harness.join(orderStatus('order-1'), alice);
    expect(await within(joined, 2_000, 'join')).toEqual(errors);
    expect(stream.ended).toBe(true);
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(harness.pubsub.listenerCount('order:order-1')).toBe(0);
  });

  it('refuses with the errors of a first payload whose root field is null', async () => {
    harness = new Harness();
    const errors = [
      { message: 'Not yours', path: ['orderStatusChanged'], extensions: { code: 'FORBIDDEN' } },
    ];
    harness.respond = () => ({ data: { orderStatusChanged: null }, errors });
    const { joined } = harness.join(orderStatus('order-1'), alice);
    expect(await within(joined, 2_000, 'join')).toEqual(errors);
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
  });

  it('refuses a first payload with a null root and no errors as NOT_FOUND', async () => {
    harness = new Harness(); // no state: the order resolves to null
    const { stream, joined } = harness.join(orderStatus('order-404'), alice);
    expect(await within(joined, 2_000, 'join')).toEqual([
      {
        message: 'Nothing to follow for orderStatusChanged here: it does not exist or is not yours',
        extensions: { code: 'NOT_FOUND' },
      },
    ]);
    expect(stream.ended).toBe(true);
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(harness.pubsub.listenerCount('order:order-404')).toBe(0);
  });

  it('coalesces the changes published while a resolution runs into one more resolution', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const stream = await harness.admitted(orderStatus('order-1'), alice);
    await nextPayload(stream);

    const running = harness.hold();
    harness.state.set('order-1', order('order-1', 'CONFIRMED'));
    const confirmed = realtimeMessage('order.confirmed');
    await harness.publish('order:order-1', confirmed);
    await harness.callsReached(2); // reads CONFIRMED, held
    harness.state.set('order-1', order('order-1', 'COMPLETED'));
    await harness.publish('order:order-1', realtimeMessage('payment.captured'));
    const completed = realtimeMessage('order.completed');
    await harness.publish('order:order-1', completed);
    await settle();
    expect(harness.calls).toHaveLength(2); // nothing else starts while one runs
    running.resolve();

    expect(await nextPayload(stream)).toEqual({
      data: { orderStatusChanged: order('order-1', 'CONFIRMED') },
      extensions: { realtime: { event: 'order.confirmed', occurredAt: confirmed.occurredAt } },
    });
    // One more resolution for both changes that arrived meanwhile, labelled with the latest.
    expect(await nextPayload(stream)).toEqual({
      data: { orderStatusChanged: order('order-1', 'COMPLETED') },
      extensions: { realtime: { event: 'order.completed', occurredAt: completed.occurredAt } },
    });
    await settle();
    expect(harness.calls).toHaveLength(3);
  });

  it('ends the subscription with an UNAUTHENTICATED payload once the token no longer checks', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const stream = await harness.admitted(orderStatus('order-1'), alice);
    await nextPayload(stream);
    const before = harness.calls.length;

    harness.revoked.add('token-alice');
    await harness.publish('order:order-1', realtimeMessage('order.confirmed'));
    const payload = await nextPayload(stream);
    expect(payload.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    expect(payload.data).toBeUndefined();
    await expectCompleted(stream);
    expect(harness.calls).toHaveLength(before); // nothing resolved with a token that is no longer valid
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(harness.pubsub.listenerCount('order:order-1')).toBe(0);
  });

  it('refuses a first payload as UNAUTHENTICATED when the token no longer checks', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    harness.revoked.add('token-alice');
    const { joined } = harness.join(orderStatus('order-1'), alice);
    expect(await within(joined, 2_000, 'join')).toEqual([
      expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } }),
    ]);
    expect(harness.calls).toEqual([]);
  });

  it('ends the subscription with the errors when the order stops resolving (gone or no longer yours)', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const stream = await harness.admitted(orderStatus('order-1'), alice);
    await nextPayload(stream);

    harness.state.delete('order-1');
    const change = realtimeMessage('order.cancelled');
    await harness.publish('order:order-1', change);
    expect(await nextPayload(stream)).toEqual({
      data: { orderStatusChanged: null },
      errors: [expect.objectContaining({ extensions: { code: 'NOT_FOUND' } })],
      extensions: { realtime: { event: 'order.cancelled', occurredAt: change.occurredAt } },
    });
    await expectCompleted(stream);
  });

  it('turns a resolution that throws into an INTERNAL_SERVER_ERROR payload, and logs it', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const stream = await harness.admitted(orderStatus('order-1'), alice);
    await nextPayload(stream);

    harness.respond = () => {
      throw new Error('subgraph exploded');
    };
    await harness.publish('order:order-1', realtimeMessage('order.confirmed'));
    const payload = await nextPayload(stream);
    expect(payload.errors).toEqual([
      { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(JSON.stringify(payload)).not.toContain('exploded');
    await expectCompleted(stream);
    expect(harness.logged.entries).toContainEqual(
      expect.objectContaining({ msg: 'realtime payload failed', field: 'orderStatusChanged' }),
    );
  });

  it('leaves the channel once the last subscriber left, and a new subscriber starts afresh', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const firstTab = await harness.admitted(orderStatus('order-1'), alice);
    const secondTab = await harness.admitted(orderStatus('order-1'), alice);

    await firstTab.return();
    expect(harness.hub.stats()).toEqual({ groups: 1, subscribers: 1 });
    expect(harness.pubsub.listenerCount('order:order-1')).toBe(1);

    await secondTab.return();
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(harness.pubsub.listenerCount('order:order-1')).toBe(0);
    const { calls, deliveries } = { calls: harness.calls.length, deliveries: harness.pubsub.deliveries() };
    await harness.publish('order:order-1', realtimeMessage('order.confirmed'));
    await settle();
    expect(harness.pubsub.deliveries()).toBe(deliveries);
    expect(harness.calls).toHaveLength(calls);

    harness.state.set('order-1', order('order-1', 'CONFIRMED'));
    const again = await harness.admitted(orderStatus('order-1'), alice);
    expect((await nextPayload(again)).data).toEqual({ orderStatusChanged: order('order-1', 'CONFIRMED') });
    expect(harness.pubsub.listenerCount('order:order-1')).toBe(1);
  });

  it('refuses with SERVICE_UNAVAILABLE when the channel cannot be subscribed, leaving no group', async () => {
    const memory = createMemoryPubSub();
    let failing = true;
    harness = new Harness({
      pubsub: {
        ...memory,
        subscribe: (channel, listener) =>
          failing ? Promise.reject(new Error('Redis is away')) : memory.subscribe(channel, listener),
      },
    });
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const { stream, joined } = harness.join(orderStatus('order-1'), alice);
    expect(await within(joined, 2_000, 'join')).toEqual([
      expect.objectContaining({ extensions: { code: 'SERVICE_UNAVAILABLE' } }),
    ]);
    expect(stream.ended).toBe(true);
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(harness.logged.messages()).toContain('realtime channel subscription failed');

    failing = false;
    const retried = await harness.admitted(orderStatus('order-1'), alice);
    expect((await nextPayload(retried)).data).toEqual({ orderStatusChanged: order('order-1', 'PENDING') });
  });

  it.each([
    ['its stream is returned', (_: Harness, stream: SubscriberStream) => stream.return()],
    ['the hub closes', (h: Harness) => h.hub.close()],
  ])(
    'lets join resolve null when %s before the first payload, and leaves no group once that resolution ends',
    async (_, end) => {
      harness = new Harness();
      harness.state.set('order-1', order('order-1', 'PENDING'));
      const first = harness.hold();
      const { stream, joined } = harness.join(orderStatus('order-1'), alice);
      await harness.callsReached(1); // the first payload is being resolved, and held
      await end(harness, stream);
      expect(await within(joined, 2_000, 'join')).toBeNull();
      await expectCompleted(stream); // graphql-ws then finds the stream done

      first.resolve();
      await settle();
      expect(stream.ended).toBe(true);
      expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
      expect(harness.pubsub.listenerCount('order:order-1')).toBe(0);
      expect(harness.calls).toHaveLength(1);
    },
  );

  it('fails a subscriber whose stream is full instead of holding payloads for it', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    const { stream, joined } = harness.join(orderStatus('order-1'), alice, 1);
    expect(await within(joined, 2_000, 'join')).toBeNull(); // the first payload fills the stream
    harness.state.set('order-1', order('order-1', 'CONFIRMED'));
    await harness.publish('order:order-1', realtimeMessage('order.confirmed'));
    await harness.callsReached(2);
    await settle();
    await expect(stream.next()).rejects.toThrow(/subscriber too slow/);
  });
});

describe('SubscriptionHub, feeds', () => {
  const item = (id: string) => ({ id, status: 'CONFIRMED', order: { id: `order-of-${id}` }, items: [] });

  it('admits a feed subscriber at once, without resolving anything', async () => {
    harness = new Harness();
    const stream = await harness.admitted(sellerFeed(), shopA);
    expect(harness.calls).toEqual([]);
    expect(stream.ended).toBe(false);
    expect(harness.pubsub.listenerCount('seller-orders:seller-a')).toBe(1);
  });

  it('sends one payload per new item, in arrival order', async () => {
    harness = new Harness();
    for (const id of ['so-1', 'so-2', 'so-3']) harness.state.set(id, item(id));
    const stream = await harness.admitted(sellerFeed(), shopA);

    const slow = harness.hold(); // the first item resolves last: it is still sent first
    const messages = ['so-1', 'so-2', 'so-3'].map((key) => realtimeMessage('order.confirmed', key));
    for (const message of messages) await harness.publish('seller-orders:seller-a', message);
    await harness.callsReached(1);
    slow.resolve();

    for (const [index, id] of ['so-1', 'so-2', 'so-3'].entries()) {
      expect(await nextPayload(stream)).toEqual({
        data: { sellerOrderPlaced: item(id) },
        extensions: { realtime: { event: 'order.confirmed', occurredAt: messages[index]!.occurredAt } },
      });
    }
    expect(harness.keys()).toEqual(['so-1', 'so-2', 'so-3']);
    expect(harness.calls.every((call) => call.subscriber === shopA)).toBe(true);
  });

  it('sends an item delivered twice (at-least-once) only once', async () => {
    harness = new Harness();
    for (const id of ['so-1', 'so-2']) harness.state.set(id, item(id));
    const stream = await harness.admitted(sellerFeed(), shopA);
    const first = realtimeMessage('order.confirmed', 'so-1');
    await harness.publish('seller-orders:seller-a', first);
    await harness.publish('seller-orders:seller-a', { ...first, eventId: 'redelivered-copy' });
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-2'));

    expect((await nextPayload(stream)).data).toEqual({ sellerOrderPlaced: item('so-1') });
    expect((await nextPayload(stream)).data).toEqual({ sellerOrderPlaced: item('so-2') });
    expect(harness.keys()).toEqual(['so-1', 'so-2']);
  });

  it('sends two items with equal payloads both (a feed is not deduplicated by content)', async () => {
    harness = new Harness();
    harness.respond = () => ({ data: { sellerOrderPlaced: item('same') } });
    const stream = await harness.admitted(sellerFeed(), shopA);
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-1'));
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-2'));
    expect((await nextPayload(stream)).data).toEqual({ sellerOrderPlaced: item('same') });
    expect((await nextPayload(stream)).data).toEqual({ sellerOrderPlaced: item('same') });
  });

  it('ignores feed messages without a key', async () => {
    harness = new Harness();
    harness.state.set('so-3', item('so-3'));
    const stream = await harness.admitted(sellerFeed(), shopA);
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed'));
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-3'));
    expect((await nextPayload(stream)).data).toEqual({ sellerOrderPlaced: item('so-3') });
    expect(harness.keys()).toEqual(['so-3']);
  });

  it("hears only the caller's own shop", async () => {
    harness = new Harness();
    for (const id of ['so-a', 'so-b']) harness.state.set(id, item(id));
    const a = await harness.admitted(sellerFeed(), shopA);
    const b = await harness.admitted(sellerFeed(), shopB);
    await harness.publish('seller-orders:seller-b', realtimeMessage('order.confirmed', 'so-b'));
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-a'));
    expect((await nextPayload(a)).data).toEqual({ sellerOrderPlaced: item('so-a') });
    expect((await nextPayload(b)).data).toEqual({ sellerOrderPlaced: item('so-b') });
    expect(harness.calls.map((call) => [call.subscriber.token, call.variables.realtimeKey])).toEqual([
      ['token-shop-b', 'so-b'],
      ['token-shop-a', 'so-a'],
    ]);
  });

  it.each([
    ['an anonymous caller', { token: null, identity: null }, 'UNAUTHENTICATED'],
    ['a caller without a shop', alice, 'FORBIDDEN'],
  ] as const)('refuses the feed to %s before joining any channel', async (_, subscriber, code) => {
    harness = new Harness();
    const { joined } = harness.join(sellerFeed(), subscriber);
    expect(await within(joined, 2_000, 'join')).toEqual([expect.objectContaining({ extensions: { code } })]);
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    expect(harness.calls).toEqual([]);
  });

  it.each([
    [
      'a null root and a non-auth error',
      (): FormattedExecutionResult => ({
        data: { sellerOrderPlaced: null },
        errors: [
          {
            message: 'Internal server error',
            path: ['sellerOrderPlaced'],
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
          },
        ],
      }),
    ],
    [
      'no data and a non-auth error',
      (): FormattedExecutionResult => ({
        data: null,
        errors: [{ message: 'Service unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
      }),
    ],
    [
      'a null root and no error (gone meanwhile)',
      (): FormattedExecutionResult => ({ data: { sellerOrderPlaced: null } }),
    ],
    [
      'a thrown error',
      (): FormattedExecutionResult => {
        throw new Error('subgraph exploded');
      },
    ],
  ])('skips an item that resolves with %s (logged), and keeps the feed open', async (_, failing) => {
    harness = new Harness();
    harness.state.set('so-2', item('so-2'));
    const answer = harness.respond;
    harness.respond = (id, call) => (id === 'so-1' ? failing() : answer(id, call));
    const stream = await harness.admitted(sellerFeed(), shopA);
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-1'));
    const later = realtimeMessage('order.confirmed', 'so-2');
    await harness.publish('seller-orders:seller-a', later);

    expect(await nextPayload(stream)).toEqual({
      data: { sellerOrderPlaced: item('so-2') },
      extensions: { realtime: { event: 'order.confirmed', occurredAt: later.occurredAt } },
    });
    expect(stream.ended).toBe(false);
    expect(harness.keys()).toEqual(['so-1', 'so-2']);
    expect(harness.hub.stats()).toEqual({ groups: 1, subscribers: 1 });
    expect(harness.logged.entries).toContainEqual(
      expect.objectContaining({ msg: 'realtime feed item skipped', field: 'sellerOrderPlaced' }),
    );
  });

  it.each(['UNAUTHENTICATED', 'FORBIDDEN'])(
    'ends the feed with the payload of an item that resolves with a %s error',
    async (code) => {
      harness = new Harness();
      harness.state.set('so-2', item('so-2'));
      const errors = [{ message: 'Not yours any more', path: ['sellerOrderPlaced'], extensions: { code } }];
      const answer = harness.respond;
      harness.respond = (id, call) =>
        id === 'so-1' ? { data: { sellerOrderPlaced: null }, errors } : answer(id, call);
      const stream = await harness.admitted(sellerFeed(), shopA);
      const refused = realtimeMessage('order.confirmed', 'so-1');
      await harness.publish('seller-orders:seller-a', refused);

      expect(await nextPayload(stream)).toEqual({
        data: { sellerOrderPlaced: null },
        errors,
        extensions: { realtime: { event: 'order.confirmed', occurredAt: refused.occurredAt } },
      });
      await expectCompleted(stream);
      expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
      expect(harness.pubsub.listenerCount('seller-orders:seller-a')).toBe(0);
      await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-2'));
      await settle();
      expect(harness.keys()).toEqual(['so-1']);
      expect(harness.logged.messages()).not.toContain('realtime feed item skipped');
    },
  );

  it('ends the feed with an UNAUTHENTICATED payload once the token no longer checks', async () => {
    harness = new Harness();
    harness.state.set('so-1', item('so-1'));
    const stream = await harness.admitted(sellerFeed(), shopA);
    harness.revoked.add('token-shop-a');
    await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', 'so-1'));
    const payload = await nextPayload(stream);
    expect(payload.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    await expectCompleted(stream);
    expect(harness.calls).toEqual([]); // nothing resolved with a token that is no longer valid
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
  });

  it('fails its subscribers when more new items arrive than the feed may hold', async () => {
    harness = new Harness({ maxPendingItems: 2 });
    const stream = await harness.admitted(sellerFeed(), shopA);
    harness.hold(); // so-1 stays in resolution; the next ones wait
    for (const key of ['so-1', 'so-2', 'so-3', 'so-4'])
      await harness.publish('seller-orders:seller-a', realtimeMessage('order.confirmed', key));
    await expect(within(stream.next(), 2_000, 'next')).rejects.toThrow(
      'more than 2 new items arrived at once; subscribe again',
    );
  });
});

describe('SubscriptionHub.close', () => {
  it('ends every stream and leaves every channel', async () => {
    harness = new Harness();
    harness.state.set('order-1', order('order-1', 'PENDING'));
    harness.state.set('shipment-1', { id: 'shipment-1', status: 'PENDING' });
    const streams = [
      await harness.admitted(orderStatus('order-1'), alice),
      await harness.admitted(orderStatus('order-1'), bob),
      await harness.admitted(shipmentTracking('shipment-1'), alice),
      await harness.admitted(sellerFeed(), shopA),
    ];
    expect(harness.hub.stats()).toEqual({ groups: 4, subscribers: 4 });

    await harness.hub.close();
    for (const stream of streams) expect(stream.ended).toBe(true);
    // The states already queued are still read, then each stream completes.
    for (const stream of streams.slice(0, 3)) await nextPayload(stream);
    for (const stream of streams) await expectCompleted(stream);
    expect(harness.hub.stats()).toEqual({ groups: 0, subscribers: 0 });
    for (const channel of ['order:order-1', 'shipment:shipment-1', 'seller-orders:seller-a'])
      expect(harness.pubsub.listenerCount(channel), channel).toBe(0);
  });
});
