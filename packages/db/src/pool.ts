import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { Counter, register } from 'prom-client';

const statements =
  (register.getSingleMetric('db_statements_total') as Counter<'database'> | undefined) ??
  new Counter({
    name: 'db_statements_total',
    help: 'SQL statements sent to PostgreSQL, by owning subgraph database',
    labelNames: ['database'],
  });

export interface Database {
  pool: pg.Pool;
  /**
   * A small uncounted pool for background machinery (the outbox relay and its LISTEN connection), so
   * statement counts measure request work only and requests never wait behind the relay.
   */
  backgroundPool: () => pg.Pool;
  adapter: PrismaPg;
  /** Checks the database answers, through the background pool so health probes are not counted. */
  ping: () => Promise<void>;
  /** Statements sent so far through this pool (also exported as `db_statements_total`). */
  statementCount(): number;
  close(): Promise<void>;
}

/**
 * One pg pool per subgraph database, wrapped so every statement is counted: the count is how tests and
 * benchmarks prove that batching holds (same number of statements for 10 or 50 rows).
 */
/**
 * A connection's error (the server restarted, or shut down first as embedded PostgreSQL does on
 * SIGINT/SIGTERM through its own exit hook) must not crash the process. An idle client's error reaches
 * the pool, which drops the client; a checked-out client's (a relay or transaction mid-way) is emitted
 * on the client itself, where an unhandled 'error' event would kill the process. Either way the query
 * in progress, if any, still rejects, and a real outage surfaces on the next query.
 */
function survivingIdleErrors(pool: pg.Pool): pg.Pool {
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

const statementNames = new Map<string, string>();
const MAX_STATEMENT_NAMES = 10_000;

/**
 * Prisma's statements run as named prepared statements: PostgreSQL parses and plans each SQL text once
 * per connection instead of on every execution. The name is a hash of the text (pg refuses one name
 * for two texts); Prisma hands the same text again for the same query shape, so names are memoised.
 */
function preparedStatementName({ sql }: { sql: string }): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `prisma_${createHash('sha1').update(sql).digest('base64url')}`;
    if (statementNames.size >= MAX_STATEMENT_NAMES) statementNames.clear();
    statementNames.set(sql, name);
  }
  return name;
}

export function createDatabase(url: string, name: string, max = 10): Database {
  const pool = survivingIdleErrors(new pg.Pool({ connectionString: url, max }));
  let count = 0;
  const counter = statements.labels(name);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    // pg's query has many overloads; the wrapper only counts and forwards them unchanged.
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      count += 1;
      counter.inc();
      return query(...args);
    };
  });
  let background: pg.Pool | undefined;
  const backgroundPool = () =>
    (background ??= survivingIdleErrors(new pg.Pool({ connectionString: url, max: 3 })));
  return {
    pool,
    backgroundPool,
    ping: async () => {
      await backgroundPool().query('SELECT 1');
    },
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementName }),
    statementCount: () => count,
    close: async () => {
      await Promise.all([pool.end(), background?.end()]);
    },
  };
}
