/**
 * A stand-in for a subgraph process in the durability tests: an outbox relay and a consumer on the
 * transport named by TRANSPORT, against DATABASE_URL. It prints "ready" once the consumer receives
 * events; the test then kills it with SIGKILL mid-stream and starts another.
 */
import pg from 'pg';
import { createPgTransactionRunner, startConsumer, startOutboxRelay } from '../src/index.ts';
import { silentLog } from './fixtures.ts';
import { busFor, type TransportName } from './transports.ts';

const env = process.env;
const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 12 });
const bus = busFor({
  transport: env.TRANSPORT as TransportName,
  brokers: env.KAFKA_BROKERS?.split(','),
  topicPrefix: env.TOPIC_PREFIX,
});
const delayMs = Number(env.HANDLER_DELAY_MS ?? 0);
const group = env.GROUP ?? 'projector';

const consumer = startConsumer(bus, {
  group,
  types: ['seller.status_changed'],
  transaction: createPgTransactionRunner(pool),
  log: silentLog,
  handle: async (event, tx) => {
    await tx.$executeRaw`INSERT INTO effects (consumer, event_id, aggregate_id) VALUES (${group}, ${event.id}, ${event.aggregateId})`;
    // Inside the transaction: a kill during the wait loses the effect and the inbox row together.
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  },
});
startOutboxRelay({ pool, bus, source: 'worker', log: silentLog, pollIntervalMs: 10, batchSize: 100 });
await consumer.ready;
process.stdout.write('ready\n');
