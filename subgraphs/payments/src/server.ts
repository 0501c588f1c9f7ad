import { startSubgraphEvents } from '@mp/events';
import {
  assembleSubgraph,
  loadTypeDefs,
  type Logger,
  type SubgraphInstance,
  type SubgraphRuntime,
} from '@mp/kit';
import { contextParts } from './context.ts';
import { openDb, openWorkerDb } from './db.ts';
import type { Env } from './env.ts';
import { startPaymentConsumer } from './events/payment.consumer.ts';
import { HttpSandboxProvider } from './provider/http-sandbox-provider.ts';
import { resolvers } from './resolvers/index.ts';
import { startProviderCallWorker } from './worker/provider-call.worker.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the payments subgraph (server, database, saga consumer, provider-call worker, outbox relay for
 * the payment events) without listening.
 */
export async function createPaymentsSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const workerDb = openWorkerDb(env.DATABASE_URL);
  const worker = startProviderCallWorker({
    prisma: workerDb.prisma,
    provider: (signal) =>
      new HttpSandboxProvider({
        url: env.PAYMENT_PROVIDER_URL,
        apiKey: env.PAYMENT_PROVIDER_API_KEY,
        timeoutMs: env.PAYMENT_PROVIDER_TIMEOUT_MS,
        signal,
      }),
    retry: {
      maxAuthorizeAttempts: env.PAYMENT_MAX_ATTEMPTS,
      baseMs: env.PAYMENT_RETRY_BASE_MS,
      capMs: env.PAYMENT_RETRY_CAP_MS,
    },
    pollMs: env.PAYMENT_WORKER_POLL_MS,
    leaseMs: env.PAYMENT_CALL_LEASE_MS,
    concurrency: env.PAYMENT_WORKER_CONCURRENCY,
    log,
  });
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'payments',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [startPaymentConsumer(runtime.bus, db.prisma, log, worker.notify)],
  });
  return assembleSubgraph(
    {
      name: 'payments',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: () => contextParts(db.prisma),
      healthCheck: db.database.ping,
    },
    {
      ready: events.ready,
      release: async () => {
        // The worker first: its last outcomes are outbox rows the relay may still publish.
        await worker.stop();
        await events.stop();
        await workerDb.close();
        await db.close();
      },
    },
  );
}
