import { startTestSubgraph } from '@mp/testkit';
import { describe, expect, inject, it, vi } from 'vitest';
import { startPaymentSandbox } from '@mp/payment-sandbox';
import { openDb } from '../src/db.ts';
import { paymentsSubgraph } from '../src/subgraph.ts';
import { newOrderId, orderPlaced, PROVIDER_API_KEY, stockReserved } from './harness.ts';

describe('stopping payments mid-call', () => {
  it('does not wait for a hanging provider, and gives the call back for the next start', async () => {
    // The provider hangs 10 s; payments would wait up to 5 s for it.
    const sandbox = await startPaymentSandbox({
      port: 0,
      apiKey: PROVIDER_API_KEY,
      unavailableDelayMs: 10_000,
    });
    const subgraph = await startTestSubgraph(paymentsSubgraph, inject('postgresAdminUrl'), {
      env: {
        PAYMENT_PROVIDER_URL: sandbox.url,
        PAYMENT_PROVIDER_API_KEY: PROVIDER_API_KEY,
        PAYMENT_PROVIDER_TIMEOUT_MS: '20000',
        PAYMENT_CALL_LEASE_MS: '120000',
        PAYMENT_WORKER_POLL_MS: '20',
      },
    });
    const db = openDb(subgraph.database.url);
    try {
      const orderId = newOrderId();
      await subgraph.bus.publish([
        orderPlaced(orderId, { paymentToken: 'tok_unavailable' }),
        stockReserved(orderId),
      ]);
      const callOf = () =>
        db.prisma.providerCall.findFirstOrThrow({
          where: { payment: { orderId } },
          select: { status: true, attempts: true, lockedUntil: true },
        });
      await vi.waitFor(async () => expect((await callOf()).lockedUntil).not.toBeNull(), { timeout: 5_000 });

      const started = Date.now();
      await subgraph.running.stop();
      expect(Date.now() - started).toBeLessThan(5_000);
      // Claimed once, outcome unknown: due again at once, to be repeated with the same key.
      expect(await callOf()).toEqual({ status: 'PENDING', attempts: 1, lockedUntil: null });
    } finally {
      await db.close();
      await subgraph.bus.close();
      await subgraph.database.drop();
      await sandbox.stop();
    }
  });
});
