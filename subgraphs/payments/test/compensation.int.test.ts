import { randomUUID } from 'node:crypto';
import { createLogger } from '@mp/kit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { PaymentProvider } from '../src/provider/payment-provider.ts';
import { request as requestCall } from '../src/repositories/provider-call.repository.ts';
import { processCall } from '../src/services/provider-call.service.ts';
import { callOff, recordOrderPlaced, recordStockReserved } from '../src/services/payment-saga.service.ts';
import {
  authorizationsAt,
  callsOf,
  expectEvents,
  newOrderId,
  orderCancelled,
  orderPlaced,
  paymentOf,
  settle,
  shipmentShipped,
  startHarness,
  stockRejected,
  stockReserved,
  type Harness,
} from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function authorizedOrder(totalMinor = 12_345): Promise<string> {
  const orderId = newOrderId();
  await h.publish(orderPlaced(orderId, { totalMinor }), stockReserved(orderId));
  await expectEvents(h, orderId, ['payment.authorized']);
  return orderId;
}

describe('calling a payment off before anything was authorized', () => {
  it('voids the payment on stock.rejected without calling the provider', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId), stockRejected(orderId));
    const [voided] = await expectEvents(h, orderId, ['payment.voided']);
    const payment = await paymentOf(h, orderId);
    expect(voided!.data).toEqual({ paymentId: payment!.id, orderId });
    expect(payment).toMatchObject({ status: 'VOIDED' });
    expect(await callsOf(h, orderId)).toEqual([]);
    expect(await authorizationsAt(h, orderId)).toEqual([]);
  });

  it('voids on stock.rejected arriving before order.placed, and order.placed then changes nothing', async () => {
    const orderId = newOrderId();
    await h.publish(stockRejected(orderId));
    await h.publish(orderPlaced(orderId), orderCancelled(orderId, 'PENDING'));
    await expectEvents(h, orderId, ['payment.voided']);
    await settle();
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'VOIDED' });
    expect(await callsOf(h, orderId)).toEqual([]);
  });

  it('never authorizes an order cancelled before its stock was reserved, whatever arrives later', async () => {
    const orderId = newOrderId();
    await h.publish(orderPlaced(orderId), orderCancelled(orderId, 'PENDING'));
    await h.publish(stockReserved(orderId));
    await expectEvents(h, orderId, ['payment.voided']);
    await settle();
    expect(await callsOf(h, orderId)).toEqual([]);
    expect(await authorizationsAt(h, orderId)).toEqual([]);
  });

  it('drops a requested authorization no worker has attempted yet, without calling the provider', async () => {
    const orderId = newOrderId();
    // The three effects in one transaction: no worker can claim the AUTHORIZE call in between, exactly
    // the state a cancellation finds when it arrives right after the stock was reserved.
    await h.db.prisma.$transaction(async (tx) => {
      await recordOrderPlaced(tx, orderPlaced(orderId).data);
      await recordStockReserved(tx, orderId);
      await callOff(tx, orderId);
    });
    await expectEvents(h, orderId, ['payment.voided']);
    const [call] = await callsOf(h, orderId);
    expect(call).toMatchObject({ operation: 'AUTHORIZE', status: 'FAILED', attempts: 0 });
    expect(call!.lastError).toMatch(/Cancelled before the first attempt/);
    await settle();
    expect(await authorizationsAt(h, orderId)).toEqual([]);
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'VOIDED' });
  });
});

describe('cancelling an authorized or captured payment', () => {
  it('voids the authorization at the provider when the order is cancelled', async () => {
    const orderId = await authorizedOrder();
    await h.publish(orderCancelled(orderId));
    const events = await expectEvents(h, orderId, ['payment.authorized', 'payment.voided']);
    expect(events[1]!.data).toMatchObject({ orderId });
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'VOIDED' });
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'voided' })]);
    await h.publish(orderCancelled(orderId));
    await settle();
    expect((await callsOf(h, orderId)).map((c) => c.operation)).toEqual(['AUTHORIZE', 'VOID']);
  });

  it('refunds a captured payment when the order is cancelled after it shipped', async () => {
    const orderId = await authorizedOrder(7_000);
    await h.publish(shipmentShipped(orderId));
    await expectEvents(h, orderId, ['payment.authorized', 'payment.captured']);
    await h.publish(orderCancelled(orderId));
    const events = await expectEvents(h, orderId, [
      'payment.authorized',
      'payment.captured',
      'payment.refunded',
    ]);
    expect(events[2]!.data).toMatchObject({ orderId, amountMinor: 7_000, currencyCode: 'EUR' });
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'REFUNDED' });
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'refunded' })]);
  });

  it('drops a capture no worker has tried yet and voids the hold when the order is cancelled', async () => {
    const orderId = await authorizedOrder();
    const { id: paymentId } = (await paymentOf(h, orderId))!;
    // Capture requested and cancellation handled in one transaction: no worker can claim the capture
    // in between, exactly the state a cancellation finds when it arrives right after the shipment.
    await h.db.prisma.$transaction(async (tx) => {
      await requestCall(tx, paymentId, 'CAPTURE');
      await callOff(tx, orderId);
    });
    await expectEvents(h, orderId, ['payment.authorized', 'payment.voided']);
    expect((await callsOf(h, orderId)).map((c) => [c.operation, c.status])).toEqual([
      ['AUTHORIZE', 'SUCCEEDED'],
      ['CAPTURE', 'FAILED'],
      ['VOID', 'SUCCEEDED'],
    ]);
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'voided' })]);
  });

  it('refunds rather than voids when the cancellation arrives while the capture is under way', async () => {
    const orderId = await authorizedOrder();
    await h.stopProvider();
    try {
      await h.publish(shipmentShipped(orderId));
      // The capture has been tried (its outcome unknown) when the cancellation arrives.
      await vi.waitFor(async () => {
        const capture = (await callsOf(h, orderId)).find((c) => c.operation === 'CAPTURE');
        expect(capture?.attempts).toBeGreaterThan(0);
      });
      await h.publish(orderCancelled(orderId));
      // The capture cannot go through yet; the refund waits for it instead of racing it with a void.
      expect((await callsOf(h, orderId)).map((c) => [c.operation, c.status])).toEqual([
        ['AUTHORIZE', 'SUCCEEDED'],
        ['CAPTURE', 'PENDING'],
        ['REFUND', 'PENDING'],
      ]);
      await settle(200);
      expect(await paymentOf(h, orderId)).toMatchObject({ status: 'AUTHORIZED' });
    } finally {
      await h.startProvider();
    }
    await expectEvents(h, orderId, ['payment.authorized', 'payment.captured', 'payment.refunded']);
    expect((await callsOf(h, orderId)).map((c) => [c.operation, c.status])).toEqual([
      ['AUTHORIZE', 'SUCCEEDED'],
      ['CAPTURE', 'SUCCEEDED'],
      ['REFUND', 'SUCCEEDED'],
    ]);
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'refunded' })]);
  });
});

describe('capturing when goods ship', () => {
  it('captures the full authorized amount when the first shipment ships', async () => {
    const orderId = await authorizedOrder(9_999);
    await h.publish(shipmentShipped(orderId));
    const events = await expectEvents(h, orderId, ['payment.authorized', 'payment.captured']);
    const payment = await paymentOf(h, orderId);
    expect(events[1]!.data).toEqual({
      paymentId: payment!.id,
      orderId,
      amountMinor: 9_999,
      currencyCode: 'EUR',
    });
    expect(payment).toMatchObject({ status: 'CAPTURED' });
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'captured' })]);
  });

  it('captures once for an order whose two shipments ship, even with redeliveries', async () => {
    const orderId = await authorizedOrder();
    const first = shipmentShipped(orderId, 1);
    const second = shipmentShipped(orderId, 2);
    await Promise.all([h.publish(first), h.publish(second)]);
    await h.publish(second, first);
    await expectEvents(h, orderId, ['payment.authorized', 'payment.captured']);
    await settle();
    expect(await callsOf(h, orderId)).toEqual([
      expect.objectContaining({ operation: 'AUTHORIZE' }),
      expect.objectContaining({ operation: 'CAPTURE', status: 'SUCCEEDED', attempts: 1 }),
    ]);
    const { providerAuthorizationId } = (await paymentOf(h, orderId))!;
    const captures = h
      .sandbox()
      .requests()
      .filter((r) => r.path === `/v1/authorizations/${providerAuthorizationId}/capture`);
    expect(captures).toEqual([expect.objectContaining({ status: 200, replayed: false })]);
    expect(await authorizationsAt(h, orderId)).toEqual([expect.objectContaining({ status: 'captured' })]);
  });

  it('does not capture a payment that was voided or never authorized', async () => {
    const voided = await authorizedOrder();
    await h.publish(orderCancelled(voided));
    await expectEvents(h, voided, ['payment.authorized', 'payment.voided']);
    await h.publish(shipmentShipped(voided));
    const declined = newOrderId();
    await h.publish(orderPlaced(declined, { paymentToken: 'tok_declined' }), stockReserved(declined));
    await expectEvents(h, declined, ['payment.failed']);
    await h.publish(shipmentShipped(declined), shipmentShipped(newOrderId()));
    await settle();
    expect((await callsOf(h, voided)).map((c) => c.operation)).toEqual(['AUTHORIZE', 'VOID']);
    expect((await callsOf(h, declined)).map((c) => c.operation)).toEqual(['AUTHORIZE']);
  });
});

describe('a refund planned while the capture settles', () => {
  /**
   * `prisma`, except that the first time the refund's planning looks at the payment's calls, `meanwhile`
   * runs first: another worker task recording its outcome in that window.
   */
  function withInterleaving(prisma: PrismaClient, meanwhile: () => Promise<void>): PrismaClient {
    let pending: (() => Promise<void>) | null = meanwhile;
    const providerCall = new Proxy(prisma.providerCall, {
      get(target, key, receiver) {
        if (key !== 'findMany') return Reflect.get(target, key, receiver) as unknown;
        return async (args: Parameters<typeof target.findMany>[0]) => {
          const run = pending;
          pending = null;
          await run?.();
          return target.findMany(args);
        };
      },
    });
    return new Proxy(prisma, {
      get(target, key) {
        if (key === 'providerCall') return providerCall;
        const value = Reflect.get(target, key) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  it('refunds, never voids, when the capture succeeds after the refund read the payment as AUTHORIZED', async () => {
    const orderId = await authorizedOrder();
    const payment = (await paymentOf(h, orderId))!;
    // Leased for an hour: the running worker leaves both calls to this test.
    const leased = { paymentId: payment.id, lockedUntil: new Date(Date.now() + 3_600_000) };
    const capture = await h.db.prisma.providerCall.create({
      data: { id: randomUUID(), operation: 'CAPTURE', ...leased },
    });
    const refund = await h.db.prisma.providerCall.create({
      data: { id: randomUUID(), operation: 'REFUND', attempts: 1, ...leased },
    });
    const captureSucceeds = async () => {
      await h.db.prisma.providerCall.update({ where: { id: capture.id }, data: { status: 'SUCCEEDED' } });
      await h.db.prisma.payment.update({ where: { id: payment.id }, data: { status: 'CAPTURED' } });
    };
    const noProvider = new Proxy({} as PaymentProvider, {
      get: () => () => Promise.reject(new Error('planning must not reach the provider')),
    });
    const requestedAnother = await processCall(
      {
        prisma: withInterleaving(h.db.prisma, captureSucceeds),
        provider: noProvider,
        retry: { maxAuthorizeAttempts: 3, baseMs: 20, capMs: 100 },
        log: createLogger('payments', 'silent'),
        signal: new AbortController().signal,
      },
      { id: refund.id, paymentId: payment.id, operation: 'REFUND', status: 'PENDING', attempts: 1 },
    );
    // Planned as "never captured: void instead", but the payment is CAPTURED under the lock: the
    // refund is planned again (due now), and nothing is voided.
    expect(requestedAnother).toBe(true);
    expect((await callsOf(h, orderId)).map((c) => [c.operation, c.status])).toEqual([
      ['AUTHORIZE', 'SUCCEEDED'],
      ['CAPTURE', 'SUCCEEDED'],
      ['REFUND', 'PENDING'],
    ]);
    expect(await paymentOf(h, orderId)).toMatchObject({ status: 'CAPTURED' });
  });
});
