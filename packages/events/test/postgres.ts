import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@mp/db';
import pg from 'pg';
import { createPgTransactionRunner, type PgTransactionRunner } from '../src/index.ts';

// What `prisma migrate diff` (the wasm engine) generates for OUTBOX_PRISMA_MODELS, verbatim.
const OUTBOX_TABLES = `
CREATE TABLE "outbox_events" (
    "seq" BIGSERIAL NOT NULL,
    "id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_events_pkey" PRIMARY KEY ("seq")
);
CREATE TABLE "inbox_events" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("event_id","consumer")
);
CREATE TABLE "dead_letter_events" (
    "id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dead_letter_events_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "outbox_events_id_key" ON "outbox_events"("id");
CREATE INDEX "outbox_events_published_at_seq_idx" ON "outbox_events"("published_at", "seq");
`;

// The test's own "state": what a consuming subgraph would change, in the order it changed it.
const TEST_TABLES = `
CREATE TABLE effects (n BIGSERIAL PRIMARY KEY, consumer TEXT NOT NULL, event_id UUID NOT NULL, aggregate_id TEXT NOT NULL);
CREATE TABLE sellers (id TEXT PRIMARY KEY, name TEXT NOT NULL);
`;

const DATABASE = 'mp_events_test';

export interface TestDatabase {
  pool: pg.Pool;
  transaction: PgTransactionRunner;
  /** Empties every table, so each test starts from nothing. */
  reset(): Promise<void>;
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** A real PostgreSQL with a freshly created database holding the outbox tables. */
export async function startTestDatabase(): Promise<TestDatabase> {
  const server: EmbeddedPostgresHandle = await startEmbeddedPostgres({
    dataDir: '/tmp/mp-events-test-pg',
    port: 55460,
  });
  const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await server.ensureDatabases([DATABASE]);
  const pool = new pg.Pool({ connectionString: server.urlFor(DATABASE), max: 30 });
  let connections = 0;
  pool.on('connect', () => (connections += 1));
  pool.on('remove', () => (connections -= 1));
  await pool.query(OUTBOX_TABLES + TEST_TABLES);
  return {
    pool,
    transaction: createPgTransactionRunner(pool),
    async reset() {
      await pool.query(
        'TRUNCATE outbox_events, inbox_events, dead_letter_events, effects, sellers RESTART IDENTITY',
      );
    },
    async count(sql, params = []) {
      const { rows } = await pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${sql}`, params);
      return Number(rows[0]?.count ?? 0);
    },
    async close() {
      await pool.end();
      // pool.end() resolves before its connections have closed; stopping the server under them would
      // make each emit an unhandled "terminating connection due to administrator command".
      for (let waited = 0; connections > 0 && waited < 5_000; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await server.stop();
    },
  };
}
