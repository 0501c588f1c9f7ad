// pnpm bench:events — end-to-end throughput and publish-to-effect latency of the event backbone
// (outbox → relay → transport → consumer with inbox) for both transports, against a real PostgreSQL
// (embedded, or BENCH_POSTGRES_ADMIN_URL) and, for Kafka, kcat's mock cluster (or BENCH_KAFKA_BROKERS).
//
// The producer (bench/events-producer.ts) is a separate process, as a producing service is; the relay,
// the transport and the consumer run in this one.
// Phase 1 (throughput): BENCH_EVENTS events over 100 aggregates, produced by 20 concurrent writers
// as fast as they go while the relay and consumer run; events/s = events / (last effect − first enqueue).
// Phase 2 (latency): a steady BENCH_RATE events/s for 5 s; p50/p99 of effect commit − enqueue.
// Defaults: BENCH_EVENTS=20000, BENCH_RATE=1000, relay and consumers with production defaults
// (BENCH_BATCH overrides the relay's batch size).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres } from '@mp/db';
import {
  createInProcessBus,
  createKafkaBus,
  startConsumer,
  startOutboxRelay,
  type EventBus,
} from '@mp/events';
import { startKcatMockCluster } from '@mp/events/testing';
import { pino } from 'pino';
import { startTestDatabase, type TestDatabase } from '../packages/events/test/postgres.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const PRODUCER = path.join(root, 'bench/events-producer.ts');
const log = pino({ level: 'silent' });

const postgres = process.env.BENCH_POSTGRES_ADMIN_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: path.join(root, '.data/bench-events-postgres'), port: 55475 });
const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? postgres!.urlFor('postgres');
const cluster = process.env.BENCH_KAFKA_BROKERS ? undefined : await startKcatMockCluster();
const brokers = process.env.BENCH_KAFKA_BROKERS?.split(',') ?? cluster!.brokers;

interface Result {
  transport: string;
  eventsPerSecond: number;
  p50: number;
  p99: number;
  atRate: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs bench/events-producer.ts in its own process against the database; resolves with its report. */
function produce(
  db: TestDatabase,
  env: Record<string, string>,
): Promise<{ startedAt: number; produced: number; ms: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', PRODUCER], {
    env: { ...process.env, DATABASE_URL: db.url, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(output.trim().split('\n').at(-1) ?? '{}'));
      else reject(new Error(`the producer exited with code ${code}`));
    });
  });
}

async function waitForEffects(db: TestDatabase, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.count('bench_effects')) < count) {
    if (Date.now() > deadline) throw new Error(`only ${await db.count('bench_effects')} of ${count} effects`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function latencies(db: TestDatabase): Promise<number[]> {
  const { rows } = await db.pool.query<{ ms: number }>(
    'SELECT extract(epoch FROM applied_at - occurred_at) * 1000 AS ms FROM bench_effects ORDER BY 1',
  );
  return rows.map((r) => Number(r.ms));
}

async function run(transport: 'in-process' | 'kafka', createBus: () => EventBus): Promise<Result> {
  const db = await startTestDatabase(adminUrl, `bench_${transport}`);
  await db.pool.query(`CREATE TABLE bench_effects (
    event_id uuid NOT NULL, aggregate_id text NOT NULL, occurred_at timestamptz NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp())`);
  const bus = createBus();
  // A consuming service with its own connections, as in production (one database per subgraph).
  const consumer = startConsumer(bus, {
    group: 'bench',
    types: ['seller.status_changed'],
    transaction: db.transaction,
    log,
    handle: async (event, tx) => {
      await tx.$executeRaw`INSERT INTO bench_effects (event_id, aggregate_id, occurred_at)
        VALUES (${event.id}::uuid, ${event.aggregateId}, ${event.occurredAt}::timestamptz)`;
    },
  });
  await consumer.ready;
  const relay = startOutboxRelay({
    pool: db.pool,
    bus,
    source: 'bench',
    log,
    ...(process.env.BENCH_BATCH ? { batchSize: Number(process.env.BENCH_BATCH) } : {}),
  });
  try {
    // Warm-up: connections, JIT, topic metadata.
    await produce(db, { MODE: 'steady', RATE: '200', AGGREGATE_PREFIX: 'warm' });
    await waitForEffects(db, 1_000, 60_000);
    await db.pool.query('TRUNCATE bench_effects');

    // Phase 1: saturation.
    const saturated = await produce(db, { MODE: 'saturate', EVENTS: String(EVENTS) });
    await waitForEffects(db, saturated.produced, 300_000);
    const { rows } = await db.pool.query<{ last: Date }>('SELECT max(applied_at) AS last FROM bench_effects');
    const eventsPerSecond = saturated.produced / ((rows[0]!.last.getTime() - saturated.startedAt) / 1000);
    console.error(
      `${transport}: produced ${saturated.produced} events in ${saturated.ms} ms, all applied after ` +
        `${rows[0]!.last.getTime() - saturated.startedAt} ms`,
    );
    await db.pool.query('TRUNCATE bench_effects');

    // Phase 2: latency at a steady rate.
    const steady = await produce(db, { MODE: 'steady', RATE: String(RATE), AGGREGATE_PREFIX: 'steady' });
    await waitForEffects(db, steady.produced, 120_000);
    const sorted = await latencies(db);
    return {
      transport,
      eventsPerSecond,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      atRate: RATE,
    };
  } finally {
    await relay.stop();
    await consumer.stop();
    await bus.close();
    await db.close();
  }
}

const results: Result[] = [];
try {
  results.push(await run('in-process', () => createInProcessBus({ log })));
  results.push(
    await run('kafka', () =>
      createKafkaBus({ brokers, clientId: 'bench', topicPrefix: `bench-${Date.now()}.`, log }),
    ),
  );
} finally {
  await cluster?.stop();
  await postgres?.stop();
}

console.log(`\nevent backbone: outbox → relay → transport → consumer (inbox + effect), ${EVENTS} events`);
console.log('transport    events/s (saturated)   latency p50 / p99 at ' + `${RATE} ev/s`);
for (const r of results) {
  console.log(
    `${r.transport.padEnd(12)} ${Math.round(r.eventsPerSecond).toString().padStart(8)}               ` +
      `${r.p50.toFixed(1)} ms / ${r.p99.toFixed(1)} ms`,
  );
}
