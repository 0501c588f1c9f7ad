import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  authorizationsAt,
  callsOf,
  expectEvents,
  eventTypesOf,
  newOrderId,
  orderCancelled,
  orderPlaced,
  paymentOf,
  providerRequestsWithKey,
  settle,
  startHarness,
  stockReserved,
  type Harness,
} from './harness.ts';

let h: Harness;

// Plenty of attempts, so the provider can be down for a while without the payment failing.
beforeAll(async () => {
  h = await startHarness({ env: { PAYMENT_MAX_ATTEMPTS: '100', PAYMENT_RETRY_CAP_MS: '50' } });
});
afterAll(async () => {
  await h?.stop();
});

/** Waits until the order's AUTHORIZE call has failed at least `n` attempts against the stopped provider. */
async function failedAttempts(orderId: string, n: number): Promise<string> {
  return vi.waitFor(
    async () => {
      const [call] = await callsOf(h, orderId);
      expect(call).toMatchObject({
        operation: 'AUTHORIZE',
        status: 'PENDING',
        lastError: expect.any(String),
      });
      expect(call!.attempts).toBeGreaterThanOrEqual(n);
      return call!.id;
    },
    { timeout: 5_000, interval: 20 },
  );
}

describe('a provider outage', () => {
  it('keeps retrying while the provider is down and authorizes once it is back, exactly once', async () => {
    await h.stopProvider();
    const orderId = newOrderId();
    try {
      await h.publish(orderPlaced(orderId), stockReserved(orderId));
      const [call] = await callsOf(h, orderId);
      await failedAttempts(orderId, 3);
      expect((await callsOf(h, orderId))[0]!.lastError).toMatch(/ECONNREFUSED/);
      expect(eventTypesOf(h, orderId)).toEqual([]);
      await h.startProvider();
      await expectEvents(h, orderId, ['payment.authorized']);
      expect(await authorizationsAt(h, orderId)).toHaveLength(1);
      expect(await callsOf(h, orderId)).toEqual([
        expect.objectContaining({ id: call!.id, status: 'SUCCEEDED' }),
      ]);
      expect(await paymentOf(h, orderId)).toMatchObject({ status: 'AUTHORIZED' });
    } finally {
      await h.startProvider();
    }
  });

  it('stops retrying an authorization once the order is cancelled, and releases what may be held', async () => {
    await h.stopProvider();
    const orderId = newOrderId();
    try {
      await h.publish(orderPlaced(orderId), stockReserved(orderId));
      const callId = await failedAttempts(orderId, 1);
      // The authorization is in flight (tried, outcome unknown): cancelling cannot simply drop it.
      await h.publish(orderCancelled(orderId, 'PENDING'));
      expect(await paymentOf(h, orderId)).toMatchObject({ status: 'PENDING', cancelRequested: true });
      await h.startProvider();
      await expectEvents(h, orderId, ['payment.voided']);
      // No new hold was put on the card for an order that no longer exists.
      expect(await authorizationsAt(h, orderId)).toEqual([]);
      expect(await paymentOf(h, orderId)).toMatchObject({ status: 'VOIDED' });
      expect(await callsOf(h, orderId)).toEqual([
        expect.objectContaining({
          id: callId,
          operation: 'AUTHORIZE',
          status: 'FAILED',
          lastError: 'Cancelled while retrying',
        }),
        expect.objectContaining({ operation: 'VOID', status: 'SUCCEEDED' }),
      ]);
      expect(providerRequestsWithKey(h, callId).filter((r) => r.status === 201)).toHaveLength(0);
      await settle();
      expect(eventTypesOf(h, orderId)).toEqual(['payment.voided']);
    } finally {
      await h.startProvider();
    }
  });

  it('retries a void until the provider takes it', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId), stockReserved(orderId));
    await expectEvents(h, orderId, ['payment.authorized']);
    await h.stopProvider();
    try {
      await h.publish(orderCancelled(orderId));
      await vi.waitFor(
        async () => {
          const voidCall = (await callsOf(h, orderId)).find((c) => c.operation === 'VOID');
          expect(voidCall).toMatchObject({
            status: 'PENDING',
            lastError: expect.stringMatching(/ECONNREFUSED/),
          });
          expect(voidCall!.attempts).toBeGreaterThanOrEqual(3);
        },
        { timeout: 5_000, interval: 20 },
      );
      await h.startProvider();
      await expectEvents(h, orderId, ['payment.authorized', 'payment.voided']);
      expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'voided' })]);
    } finally {
      await h.startProvider();
    }
  });
});
