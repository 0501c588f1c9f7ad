import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  authorizationsAt,
  callsOf,
  expectEvents,
  newOrderId,
  orderPlaced,
  paymentOf,
  PROVIDER_API_KEY,
  providerRequestsWithKey,
  settle,
  startHarness,
  stockReserved,
  type Harness,
} from './harness.ts';

let h: Harness;

// The provider hangs tok_unavailable for longer than payments waits (500 ms), so those are timeouts.
beforeAll(async () => {
  h = await startHarness({ unavailableDelayMs: 1_200, env: { PAYMENT_PROVIDER_TIMEOUT_MS: '500' } });
});
afterAll(async () => {
  await h?.stop();
});

describe('authorizing an order’s payment', () => {
  it('authorizes once the order is placed and its stock reserved, and emits payment.authorized', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId, { totalMinor: 4_250, currencyCode: 'USD' }));
    await h.publish(stockReserved(orderId));
    const [authorized] = await expectEvents(h, orderId, ['payment.authorized']);
    const payment = await paymentOf(h, orderId);
    expect(authorized!.data).toEqual({
      paymentId: payment!.id,
      orderId,
      amountMinor: 4_250,
      currencyCode: 'USD',
    });
    expect(payment).toMatchObject({ status: 'AUTHORIZED', failureReason: null });
    const held = await authorizationsAt(h, orderId);
    expect(held).toEqual([
      expect.objectContaining({
        status: 'authorized',
        amountMinor: 4_250,
        currencyCode: 'USD',
        token: 'tok_visa',
      }),
    ]);
    expect(payment!.providerAuthorizationId).toBe(held[0]!.id);
    // The call's id is the idempotency key the provider saw.
    const [call] = await callsOf(h, orderId);
    expect(call).toMatchObject({ operation: 'AUTHORIZE', status: 'SUCCEEDED', attempts: 1 });
    expect(providerRequestsWithKey(h, call!.id)).toHaveLength(1);
  });

  it('authorizes the same way when stock.reserved arrives before order.placed', async () => {
    const orderId = newOrderId();
    await h.publish(stockReserved(orderId));
    await settle(100);
    expect(await callsOf(h, orderId)).toEqual([]);
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'PENDING' });
    await h.publish(orderPlaced(orderId));
    await expectEvents(h, orderId, ['payment.authorized']);
    expect(await authorizationsAt(h, orderId)).toHaveLength(1);
  });

  it('waits for the stock: order.placed alone never reaches the provider', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId));
    await settle();
    expect(await callsOf(h, orderId)).toEqual([]);
    expect(await authorizationsAt(h, orderId)).toEqual([]);
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'PENDING' });
  });

  it('treats redelivered and repeated events as no-ops: one authorization, one event', async () => {
    const orderId = newOrderId();
    const placed = orderPlaced(orderId);
    const reserved = stockReserved(orderId);
    await h.publish(placed, reserved, placed);
    await h.publish(reserved, placed);
    // The same facts under new event ids (a producer that sent twice) change nothing either.
    await h.publish(orderPlaced(orderId), stockReserved(orderId));
    await expectEvents(h, orderId, ['payment.authorized']);
    await settle();
    expect(await callsOf(h, orderId)).toHaveLength(1);
    expect(await authorizationsAt(h, orderId)).toHaveLength(1);
    expect(await h.db.prisma.payment.count({ where: { orderId } })).toBe(1);
  });

  it('authorizes each of many orders arriving at once exactly once', async () => {
    const orderIds = Array.from({ length: 12 }, newOrderId);
    await Promise.all(
      orderIds.flatMap((orderId, i) =>
        i % 2 === 0
          ? [h.publish(orderPlaced(orderId)), h.publish(stockReserved(orderId))]
          : [h.publish(stockReserved(orderId)), h.publish(orderPlaced(orderId))],
      ),
    );
    for (const orderId of orderIds) {
      await expectEvents(h, orderId, ['payment.authorized']);
      expect(await authorizationsAt(h, orderId)).toHaveLength(1);
    }
  });
});

describe('when the provider says no', () => {
  it('fails DECLINED for tok_declined after a single attempt', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId, { paymentToken: 'tok_declined' }), stockReserved(orderId));
    const [failed] = await expectEvents(h, orderId, ['payment.failed']);
    const payment = await paymentOf(h, orderId);
    expect(failed!.data).toEqual({ paymentId: payment!.id, orderId, reason: 'DECLINED' });
    expect(payment).toMatchObject({ status: 'FAILED', failureReason: 'DECLINED' });
    const [call] = await callsOf(h, orderId);
    expect(call).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      lastError: expect.stringContaining('card_declined'),
    });
    expect(await authorizationsAt(h, orderId)).toEqual([]);
  });

  it('fails INVALID_PAYMENT_METHOD for a token the provider does not know', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId, { paymentToken: 'tok_forged' }), stockReserved(orderId));
    const [failed] = await expectEvents(h, orderId, ['payment.failed']);
    expect(failed!.data).toMatchObject({ reason: 'INVALID_PAYMENT_METHOD' });
    expect(await callsOf(h, orderId)).toEqual([expect.objectContaining({ status: 'FAILED', attempts: 1 })]);
  });
});

describe('when the provider is unavailable', () => {
  it('tries exactly PAYMENT_MAX_ATTEMPTS times with one key, fails PROVIDER_UNAVAILABLE and leaves nothing held', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId, { paymentToken: 'tok_unavailable' }), stockReserved(orderId));
    const [failed] = await expectEvents(h, orderId, ['payment.failed']);
    expect(failed!.data).toMatchObject({ orderId, reason: 'PROVIDER_UNAVAILABLE' });
    expect(await paymentOf(h, orderId)).toMatchObject({
      status: 'FAILED',
      failureReason: 'PROVIDER_UNAVAILABLE',
    });

    const calls = await callsOf(h, orderId);
    const authorize = calls.find((c) => c.operation === 'AUTHORIZE')!;
    expect(authorize).toMatchObject({ status: 'FAILED', attempts: 3 });
    expect(authorize.lastError).toMatch(/no answer within 500 ms/);
    // Every attempt timed out on the client; the provider answers each (503) once its delay is over.
    await vi.waitFor(() => expect(providerRequestsWithKey(h, authorize.id)).toHaveLength(3), {
      timeout: 3_000,
    });
    expect(providerRequestsWithKey(h, authorize.id).every((r) => r.status === 503)).toBe(true);

    // Giving up also releases whatever a timed-out attempt might have authorized: here, nothing.
    await vi.waitFor(
      async () =>
        expect(await callsOf(h, orderId)).toEqual([
          expect.objectContaining({ operation: 'AUTHORIZE', status: 'FAILED' }),
          expect.objectContaining({ operation: 'VOID', status: 'SUCCEEDED' }),
        ]),
      { timeout: 3_000 },
    );
    expect(await authorizationsAt(h, orderId)).toEqual([]);
    await settle();
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'FAILED' });
    expect(h.events.filter((e) => e.aggregateId === orderId).map((e) => e.type)).toEqual(['payment.failed']);
  });

  it('voids an authorization a timed-out attempt made after all when it gives up', async () => {
    // The provider authorized, but under a key payments never learnt the answer for: simulate it by
    // authorizing for the order before payments gives up on its own (unavailable) attempts.
    const orderId = newOrderId();
    const stray = await fetch(`${h.sandbox().url}/v1/authorizations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${PROVIDER_API_KEY}`,
        'idempotency-key': randomUUID(),
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        amountMinor: 12_345,
        currencyCode: 'EUR',
        token: 'tok_visa',
        reference: orderId,
      }),
    });
    expect(stray.status).toBe(201);
    await h.publish(orderPlaced(orderId, { paymentToken: 'tok_unavailable' }), stockReserved(orderId));
    await expectEvents(h, orderId, ['payment.failed']);
    await vi.waitFor(
      async () =>
        expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'voided' })]),
      { timeout: 3_000 },
    );
  });
});

describe('after a crash mid-call', () => {
  it('retries a call whose lease expired with the same key, so the provider authorizes only once', async () => {
    const orderId = newOrderId();
    const paymentId = randomUUID();
    const callId = randomUUID();
    // A worker claimed the call (attempt 1, leased), reached the provider, and died before recording.
    await h.db.prisma.payment.create({
      data: {
        id: paymentId,
        orderId,
        buyerId: 'buyer-ada',
        amountMinor: 990n,
        currencyCode: 'EUR',
        token: 'tok_visa',
        orderPlaced: true,
        orderPlacedAt: new Date(),
        stockReserved: true,
      },
    });
    await h.db.prisma.providerCall.create({
      data: {
        id: callId,
        paymentId,
        operation: 'AUTHORIZE',
        attempts: 1,
        lockedUntil: new Date(Date.now() + 1_500),
      },
    });
    const first = await fetch(`${h.sandbox().url}/v1/authorizations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${PROVIDER_API_KEY}`,
        'idempotency-key': callId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ amountMinor: 990, currencyCode: 'EUR', token: 'tok_visa', reference: orderId }),
    });
    const { id: authorizationId } = (await first.json()) as { id: string };

    // Nobody touches the call while its lease lasts.
    await settle(300);
    expect(await callsOf(h, orderId)).toEqual([expect.objectContaining({ status: 'PENDING', attempts: 1 })]);

    await expectEvents(h, orderId, ['payment.authorized']);
    expect(await callsOf(h, orderId)).toEqual([
      expect.objectContaining({ status: 'SUCCEEDED', attempts: 2 }),
    ]);
    expect(await paymentOf(h, orderId)).toMatchObject({
      status: 'AUTHORIZED',
      providerAuthorizationId: authorizationId,
    });
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ id: authorizationId })]);
    expect(providerRequestsWithKey(h, callId).map((r) => r.replayed)).toEqual([false, true]);
  });
});
