import type { Logger } from '@mp/kit';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { PaymentProvider } from '../provider/payment-provider.ts';
import * as calls from '../repositories/provider-call.repository.ts';
import type { ProviderCallRow } from '../repositories/provider-call.repository.ts';
import { processCall } from '../services/provider-call.service.ts';
import type { RetryPolicy } from '../services/retry-policy.ts';

export interface ProviderCallWorker {
  /** Look for due calls now rather than at the next poll (a consumer batch requested one). */
  notify(): void;
  /** Stops claiming, cuts provider calls in progress short (their calls are given back), and waits. */
  stop(): Promise<void>;
}

export interface ProviderCallWorkerOptions {
  prisma: PrismaClient;
  /** The provider, given the signal that aborts its calls when the worker stops. */
  provider: (signal: AbortSignal) => PaymentProvider;
  retry: RetryPolicy;
  pollMs: number;
  leaseMs: number;
  /** Calls in progress at once. */
  concurrency: number;
  log: Logger;
}

const MAX_OUTAGE_BACKOFF_MS = 5_000;

/**
 * Makes the provider calls the consumer requested: claims due PENDING calls (a committed lease, so a
 * crash only delays a call until its lease passes), makes each outside any transaction, and records
 * the outcome (services/provider-call.service.ts). Several processes may run it: claims skip rows
 * another worker is claiming.
 */
export function startProviderCallWorker(options: ProviderCallWorkerOptions): ProviderCallWorker {
  const { prisma, pollMs, leaseMs, concurrency } = options;
  const log = options.log.child({ component: 'provider-call-worker' });
  const stopping = new AbortController();
  const ctx = {
    prisma,
    provider: options.provider(stopping.signal),
    retry: options.retry,
    log,
    signal: stopping.signal,
  };
  const inFlight = new Set<Promise<void>>();
  let woken = false;
  let wake: (() => void) | null = null;

  function notify(): void {
    woken = true;
    wake?.();
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (woken || stopping.signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      wake = done;
    });
  }

  function run(call: ProviderCallRow): void {
    const task = processCall(ctx, call)
      .then(
        (requestedAnother) => {
          if (requestedAnother) notify();
        },
        (error: unknown) => {
          // The lease stays: the call is retried, with the same key, once it has passed.
          log.error({ err: error, callId: call.id, operation: call.operation }, 'provider call not recorded');
        },
      )
      .finally(() => {
        inFlight.delete(task);
        notify(); // a slot is free
      });
    inFlight.add(task);
  }

  async function loop(): Promise<void> {
    let outages = 0;
    while (!stopping.signal.aborted) {
      woken = false;
      const free = concurrency - inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          const due = await calls.claimDue(prisma, free, leaseMs);
          if (stopping.signal.aborted) {
            // Stopped while claiming: under load the claim can even run after a call in progress was
            // given back, and take that one again. None of these was attempted.
            await calls.unclaim(
              prisma,
              due.map((call) => call.id),
            );
            break;
          }
          outages = 0;
          claimed = due.length;
          for (const call of due) run(call);
        } catch (error) {
          outages += 1;
          log.warn({ err: error }, 'could not claim provider calls; retrying');
          await pause(Math.min(MAX_OUTAGE_BACKOFF_MS, pollMs * 2 ** outages));
          continue;
        }
      }
      // A full claim may have left more due calls behind: claim again at once.
      if (free > 0 && claimed === free) continue;
      await pause(pollMs);
    }
  }

  const looping = loop();
  return {
    notify,
    async stop() {
      stopping.abort();
      wake?.();
      await looping;
      await Promise.all([...inFlight]);
    },
  };
}
