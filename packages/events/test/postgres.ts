import { randomBytes } from 'node:crypto';
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
-- No unique constraint on event_id on purpose: a double-applied event must show up as two rows.
CREATE TABLE effects (n BIGSERIAL PRIMARY KEY, consumer TEXT NOT NULL, event_id UUID NOT NULL, aggregate_id TEXT NOT NULL);
CREATE TABLE sellers (id TEXT PRIMARY KEY, name TEXT NOT NULL);
`;

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  transaction: PgTransactionRunner;
  /** Empties every table, so each test starts from nothing. */
  reset(): Promise<void>;
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/**
 * A fresh database holding the outbox tables, on the shared test PostgreSQL (`adminUrl` from
 * `inject('postgresAdminUrl')`); dropped by `close()`.
 */
export async function startTestDatabase(adminUrl: string, label: string): Promise<TestDatabase> {
  const name = `test_events_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 30 });
  // pool.end() resolves before its idle connections have closed; DROP DATABASE … WITH (FORCE) then
  // terminates them, and each would surface as an unhandled "terminating connection" error.
  pool.on('error', () => undefined);
  await pool.query(OUTBOX_TABLES + TEST_TABLES);
  return {
    url: url.toString(),
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
      await withAdmin(adminUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin<R>(adminUrl: string, fn: (admin: pg.Client) => Promise<R>): Promise<R> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
