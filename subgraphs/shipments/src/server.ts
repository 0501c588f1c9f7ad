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
import { startOrderEventsConsumer } from './events/order-events.consumer.ts';
import { resolvers } from './resolvers/index.ts';
import { startCarrierSimulator } from './services/carrier-simulator.ts';

export const typeDefs = loadTypeDefs(new URL('../schema.graphql', import.meta.url));

/**
 * Builds the shipments subgraph (server, database, order-event consumer, outbox relay for the shipment
 * events, and the carrier simulator when CARRIER_SIMULATOR_STEP_MS > 0) without listening.
 */
export async function createShipmentsSubgraph(
  env: Env,
  log: Logger,
  runtime: SubgraphRuntime,
): Promise<SubgraphInstance> {
  const db = openDb(env.DATABASE_URL);
  const events = startSubgraphEvents({
    bus: runtime.bus,
    source: 'shipments',
    log,
    outboxPool: db.database.backgroundPool(),
    consumers: [startOrderEventsConsumer(runtime.bus, db.prisma, log)],
  });
  const simulator =
    env.CARRIER_SIMULATOR_STEP_MS > 0
      ? startCarrierSimulator({
          prisma: db.prisma,
          stepMs: env.CARRIER_SIMULATOR_STEP_MS,
          log: log.child({ component: 'carrier-simulator' }),
        })
      : null;
  return assembleSubgraph(
    {
      name: 'shipments',
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
        // The simulator writes outbox rows: stop it before the relay, and both before the database.
        await simulator?.stop();
        await events.stop();
        await db.close();
      },
    },
  );
}
