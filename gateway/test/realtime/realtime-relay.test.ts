import { createInProcessBus, type EventEnvelope, type InProcessBus, type Subscription } from '@mp/events';
import { testEnvelope } from '@mp/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeMessage } from '../../src/realtime/pubsub.ts';
import {
  REALTIME_EVENT_TYPES,
  changesOf,
  startRealtimeRelay,
  type Change,
} from '../../src/realtime/realtime-relay.ts';
import { capturingLogger, within } from './helpers.ts';

type RealtimeType = (typeof REALTIME_EVENT_TYPES)[number];
type RealtimeEnvelope = Parameters<typeof changesOf>[0];

const ORDER = 'order-1';
const BUYER = 'buyer-1';
const SHIPMENT = 'shipment-7';
const ref = {
  shipmentId: SHIPMENT,
  orderId: ORDER,
  sellerOrderId: 'so-a',
  sellerId: 'seller-a',
  buyerId: BUYER,
};
const money = { amountMinor: 2_500, currencyCode: 'USD' };

/** One valid envelope of every type the relay follows (the Record makes a new type a compile error here). */
const envelopes: { [T in RealtimeType]: () => EventEnvelope<T> } = {
  'order.placed': () =>
    testEnvelope('order.placed', ORDER, {
      orderId: ORDER,
      buyerId: BUYER,
      currencyCode: 'USD',
      totalMinor: 2_500,
      paymentToken: 'tok_visa',
      sellerOrders: [
        {
          sellerOrderId: 'so-a',
          sellerId: 'seller-a',
          subtotalMinor: 2_500,
          items: [{ productId: 'p1', quantity: 1, unitPriceMinor: 2_500 }],
        },
      ],
    }),
  'order.confirmed': () =>
    testEnvelope('order.confirmed', ORDER, {
      orderId: ORDER,
      buyerId: BUYER,
      sellerOrders: [
        { sellerOrderId: 'so-a', sellerId: 'seller-a', items: [{ productId: 'p1', quantity: 1 }] },
        { sellerOrderId: 'so-b', sellerId: 'seller-b', items: [{ productId: 'p2', quantity: 2 }] },
      ],
    }),
  'order.cancelled': () =>
    testEnvelope('order.cancelled', ORDER, {
      orderId: ORDER,
      buyerId: BUYER,
      reason: 'PAYMENT_DECLINED',
      previousStatus: 'PENDING',
    }),
  'order.completed': () => testEnvelope('order.completed', ORDER, { orderId: ORDER, buyerId: BUYER }),
  'payment.authorized': () =>
    testEnvelope('payment.authorized', ORDER, { paymentId: 'pay-1', orderId: ORDER, ...money }),
  'payment.failed': () =>
    testEnvelope('payment.failed', ORDER, { paymentId: 'pay-1', orderId: ORDER, reason: 'DECLINED' }),
  'payment.captured': () =>
    testEnvelope('payment.captured', ORDER, { paymentId: 'pay-1', orderId: ORDER, ...money }),
  'payment.voided': () => testEnvelope('payment.voided', ORDER, { paymentId: 'pay-1', orderId: ORDER }),
  'payment.refunded': () =>
    testEnvelope('payment.refunded', ORDER, { paymentId: 'pay-1', orderId: ORDER, ...money }),
  'shipment.created': () => testEnvelope('shipment.created', SHIPMENT, { ...ref, productIds: ['p1'] }),
  'shipment.shipped': () =>
    testEnvelope('shipment.shipped', SHIPMENT, { ...ref, carrier: 'DHL', trackingNumber: 'TRACK-1' }),
  'shipment.tracking_recorded': () =>
    testEnvelope('shipment.tracking_recorded', SHIPMENT, {
      ...ref,
      status: 'IN_TRANSIT',
      previousStatus: 'LABEL_CREATED',
      description: 'Left the depot',
      location: 'Berlin',
      occurredAt: new Date().toISOString(),
    }),
  'shipment.delivered': () =>
    testEnvelope('shipment.delivered', SHIPMENT, {
      ...ref,
      productIds: ['p1'],
      deliveredAt: new Date().toISOString(),
    }),
  'shipment.cancelled': () => testEnvelope('shipment.cancelled', SHIPMENT, ref),
};

const messageOf = (envelope: EventEnvelope): RealtimeMessage => ({
  eventId: envelope.id,
  type: envelope.type,
  occurredAt: envelope.occurredAt,
});

const byType = (prefix: string) => REALTIME_EVENT_TYPES.filter((type) => type.startsWith(prefix));

describe('changesOf', () => {
  it.each([...byType('order.').filter((type) => type !== 'order.confirmed'), ...byType('payment.')])(
    "sends %s to its order's channel only",
    (type) => {
      const envelope: RealtimeEnvelope = envelopes[type]();
      expect(changesOf(envelope)).toEqual([{ channel: `order:${ORDER}`, message: messageOf(envelope) }]);
    },
  );

  it.each(byType('shipment.'))("sends %s to its order's and its shipment's channels", (type) => {
    const envelope: RealtimeEnvelope = envelopes[type]();
    expect(changesOf(envelope)).toEqual([
      { channel: `order:${ORDER}`, message: messageOf(envelope) },
      { channel: `shipment:${SHIPMENT}`, message: messageOf(envelope) },
    ]);
  });

  it("sends order.confirmed to its order and to each seller's feed, keyed by that seller's order", () => {
    const envelope = envelopes['order.confirmed']();
    expect(changesOf(envelope)).toEqual([
      { channel: `order:${ORDER}`, message: messageOf(envelope) },
      { channel: 'seller-orders:seller-a', message: { ...messageOf(envelope), key: 'so-a' } },
      { channel: 'seller-orders:seller-b', message: { ...messageOf(envelope), key: 'so-b' } },
    ]);
  });

  it("never puts a feed key on an order's or a shipment's message", () => {
    for (const type of REALTIME_EVENT_TYPES) {
      for (const change of changesOf(envelopes[type]())) {
        if (!change.channel.startsWith('seller-orders:'))
          expect(change.message, type).not.toHaveProperty('key');
      }
    }
  });
});

describe('startRealtimeRelay', () => {
  let bus: InProcessBus;
  let relay: Subscription | undefined;
  const published: Change[] = [];
  const record = (channel: string, message: RealtimeMessage) => void published.push({ channel, message });

  beforeEach(() => {
    bus = createInProcessBus();
    published.length = 0;
  });
  afterEach(async () => {
    await relay?.unsubscribe();
    relay = undefined;
    await bus.close();
  });

  const start = async (
    publish: (channel: string, message: RealtimeMessage) => Promise<void> | void,
    log = capturingLogger().log,
  ) => {
    relay = startRealtimeRelay({ bus, group: 'gateway-realtime', publish, log });
    await relay.ready;
  };

  it('hands every change of the events published on the bus to publish, in order', async () => {
    await start(record);
    // One aggregate (the order), so the bus delivers them to the relay in this order.
    const events = [
      envelopes['order.placed'](),
      envelopes['payment.authorized'](),
      envelopes['order.confirmed'](),
    ];
    await bus.publish(events);
    expect(published).toEqual(events.flatMap((event) => changesOf(event as RealtimeEnvelope)));
    expect(published.map((change) => change.channel)).toEqual([
      `order:${ORDER}`,
      `order:${ORDER}`,
      `order:${ORDER}`,
      'seller-orders:seller-a',
      'seller-orders:seller-b',
    ]);
  });

  it('relays nothing for event types subscribers cannot notice', async () => {
    await start(record);
    await bus.publish([
      testEnvelope('stock.reserved', ORDER, { orderId: ORDER, lines: [{ productId: 'p1', quantity: 1 }] }),
      testEnvelope('stock.released', ORDER, { orderId: ORDER, lines: [{ productId: 'p1', quantity: 1 }] }),
    ]);
    await bus.publish([envelopes['order.completed']()]);
    expect(published.map((change) => change.message.type)).toEqual(['order.completed']);
  });

  it('skips an invalid envelope (logged) and relays the events after it', async () => {
    const { log, messages } = capturingLogger();
    await start(record, log);
    const completed = envelopes['order.completed']();
    const missingBuyer = { ...completed, id: crypto.randomUUID(), data: { orderId: ORDER } } as EventEnvelope;
    const futureVersion = { ...envelopes['order.cancelled'](), version: 99 } as EventEnvelope;
    const valid = envelopes['payment.captured']();
    await bus.publish([missingBuyer, futureVersion, valid]);
    expect(published).toEqual([{ channel: `order:${ORDER}`, message: messageOf(valid) }]);
    expect(messages().filter((m) => m === 'realtime relay skipped an invalid event')).toHaveLength(2);
  });

  it('lets the bus publish succeed when publish rejects, and logs the lost change', async () => {
    const { log, entries } = capturingLogger();
    await start(async () => {
      throw new Error('Redis is away');
    }, log);
    await expect(bus.publish([envelopes['shipment.shipped']()])).resolves.toBeUndefined();
    await vi.waitFor(() =>
      expect(entries.filter((e) => e.msg === 'realtime change not published').map((e) => e.channel)).toEqual([
        `order:${ORDER}`,
        `shipment:${SHIPMENT}`,
      ]),
    );
  });

  it('lets the bus publish succeed when publish throws synchronously, and logs each lost change', async () => {
    const { log, entries } = capturingLogger();
    let calls = 0;
    await start(() => {
      calls += 1;
      throw new Error('boom');
    }, log);
    await expect(
      within(bus.publish([envelopes['shipment.shipped']()]), 2_000, 'bus.publish'),
    ).resolves.toBeUndefined();
    await vi.waitFor(() =>
      expect(entries.filter((e) => e.msg === 'realtime change not published').map((e) => e.channel)).toEqual([
        `order:${ORDER}`,
        `shipment:${SHIPMENT}`,
      ]),
    );
    expect(entries.find((e) => e.msg === 'realtime change not published')).toMatchObject({
      err: { message: 'boom' },
      event: 'shipment.shipped',
    });
    expect(calls).toBe(2); // each change tried once: the batch was not redelivered
  });
});
