import { hostname } from 'node:os';
import { createEventBus, transportOf } from '@mp/events';
import { createLogger } from '@mp/kit';
import { createGateway, startRealtimeRelay } from './gateway.ts';
import { loadEnv, processEnv } from './env.ts';

// The gateway in its own process: `pnpm --filter @mp/gateway start`.
const env = loadEnv(processEnv());
const log = createLogger('gateway', env.LOG_LEVEL);
const gateway = await createGateway(env, log);

// Realtime changes come from the event bus. With Redis, replicas share one consumer group and fan out
// through Redis; without it, each replica consumes every event itself. With neither Kafka nor Redis,
// nothing outside this process can tell it about changes.
const transport = transportOf(env);
const events = transport === 'kafka' ? createEventBus(env, { clientId: `gateway-${hostname()}`, log }) : null;
const relay = events
  ? startRealtimeRelay({
      bus: events.bus,
      group: env.REDIS_URL ? 'gateway-realtime' : `gateway-realtime.${hostname()}.${process.pid}`,
      publish: gateway.pubsub.publish,
      log,
    })
  : null;
if (!relay && !env.REDIS_URL) {
  log.warn(
    'realtime: no event source (set KAFKA_BROKERS and/or REDIS_URL); subscriptions get their first payload only',
  );
}

const port = await gateway.listen();
log.info({ port }, `gateway listening on http://localhost:${port}/graphql`);
const shutdown = async () => {
  await relay?.unsubscribe();
  await events?.bus.close();
  await gateway.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
