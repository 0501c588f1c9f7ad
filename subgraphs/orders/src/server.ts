import { startSubgraphEvents } from '@mp/events';
import {
  assembleSubgraph,
  loadTypeDefs,
  type Logger,
  type SubgraphInstance,
  type SubgraphRuntime,
} from '@mp/kit';
import { contextParts } from './context.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import { startOrdersConsumer } from './events/orders.consumer.ts';
import { resolvers } from './resolvers/index.ts';
import { createPaymentMethodVerifier } from './services/payment-methods.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the orders subgraph (server, database, the consumer of catalog's, sellers', payments' and
 * shipments' events, and the relay of order events) without listening.
 */
export async function createOrdersSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const paymentMethods = createPaymentMethodVerifier(
    env.PAYMENT_PROVIDER_URL && env.PAYMENT_PROVIDER_API_KEY
      ? {
          url: env.PAYMENT_PROVIDER_URL,
          apiKey: env.PAYMENT_PROVIDER_API_KEY,
          timeoutMs: env.PAYMENT_METHOD_CHECK_TIMEOUT_MS,
        }
      : null,
    log,
  );
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'orders',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [startOrdersConsumer(runtime.bus, db.prisma, log)],
  });
  return assembleSubgraph(
    {
      name: 'orders',
      typeDefs,
      resolvers,
      env,
      log,
      contextParts: () => contextParts(db.prisma, paymentMethods),
      healthCheck: db.database.ping,
    },
    {
      ready: events.ready,
      release: async () => {
        await events.stop();
        await db.close();
      },
    },
  );
}
