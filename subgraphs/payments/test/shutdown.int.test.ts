import { createLogger } from '@mp/kit';
import { startTestSubgraph } from '@mp/testkit';
import { describe, expect, inject, it, vi } from 'vitest';
import { startPaymentSandbox } from '@mp/payment-sandbox';
import { openDb, openWorkerDb } from '../src/db.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import type { PaymentProvider } from '../src/provider/payment-provider.ts';
import { paymentsSubgraph } from '../src/subgraph.ts';
import { startProviderCallWorker } from '../src/worker/provider-call.worker.ts';
import { newOrderId, orderPlaced, PROVIDER_API_KEY, stockReserved } from './harness.ts';

/**
 * Runs `check` with the payments subgraph stopped while it was calling a provider that hangs 10 s
 * (payments would wait up to 20 s for it), the call given back, and how long stopping took.
 */
async function withCallGivenBack(
  check: (given: { databaseUrl: string; orderId: string; stopMs: number }) => Promise<void>,
) {
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
    await vi.waitFor(async () => expect((await callOf(db.prisma, orderId)).lockedUntil).not.toBeNull(), {
      timeout: 5_000,
    });
    const started = Date.now();
    await subgraph.running.stop();
    await check({ databaseUrl: subgraph.database.url, orderId, stopMs: Date.now() - started });
  } finally {
    await db.close();
    await subgraph.bus.close();
    await subgraph.database.drop();
    await sandbox.stop();
  }
}

/** Claimed once, outcome unknown: due again at once, to be repeated with the same key. */
const GIVEN_BACK = { status: 'PENDING', attempts: 1, lockedUntil: null };

function callOf(prisma: PrismaClient, orderId: string) {
  return prisma.providerCall.findFirstOrThrow({
    where: { payment: { orderId } },
    select: { status: true, attempts: true, lockedUntil: true },
  });
}

describe('stopping payments mid-call', () => {
  it('does not wait for a hanging provider, and gives the call back for the next start', async () => {
    await withCallGivenBack(async ({ databaseUrl, orderId, stopMs }) => {
      expect(stopMs).toBeLessThan(5_000);
      const db = openDb(databaseUrl);
      try {
        expect(await callOf(db.prisma, orderId)).toEqual(GIVEN_BACK);
      } finally {
        await db.close();
      }
    });
  });

  it('counts no attempt for a call it claimed while stopping, and never makes it', async () => {
    await withCallGivenBack(async ({ databaseUrl, orderId }) => {
      const workerDb = openWorkerDb(databaseUrl);
      try {
        // The worker's claim reaches the database only once stop() began, as a slow one can under load.
        let openGate = () => {};
        const gate = new Promise<void>((resolve) => (openGate = resolve));
        const prisma = new Proxy(workerDb.prisma, {
          get(target, property, receiver) {
            if (property !== '$queryRaw') return Reflect.get(target, property, receiver) as unknown;
            return async (...args: Parameters<PrismaClient['$queryRaw']>) => {
              await gate;
              return target.$queryRaw(...args);
            };
          },
        });
        const provided: string[] = [];
        const unanswered = (operation: string) => () => {
          provided.push(operation);
          return Promise.resolve({ kind: 'transient' as const, message: 'stopping' });
        };
        const provider: PaymentProvider = {
          authorize: unanswered('authorize'),
          capture: unanswered('capture'),
          void: unanswered('void'),
          refund: unanswered('refund'),
        };
        const worker = startProviderCallWorker({
          prisma,
          provider: () => provider,
          retry: { maxAuthorizeAttempts: 3, baseMs: 20, capMs: 100 },
          pollMs: 20,
          leaseMs: 120_000,
          concurrency: 4,
          log: createLogger('payments-test', 'silent'),
        });
        const stopped = worker.stop();
        openGate();
        await stopped;
        expect(provided).toEqual([]);
        expect(await callOf(workerDb.prisma, orderId)).toEqual(GIVEN_BACK);
      } finally {
        await workerDb.close();
      }
    });
  });
});
