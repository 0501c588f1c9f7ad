import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlQueryable,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

// PostgreSQL's one-byte internal `"char"` type (pg_class.relkind, pg_constraint.contype, …).
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/** The part of @prisma/adapter-pg 7.10's (non-public) queryable class we have to hook into. */
interface PgQueryableInternals {
  performIO(query: SqlQuery): Promise<{ fields: { dataTypeID: number }[] }>;
}

/**
 * The schema engine's PostgreSQL describer reads catalog columns of type `"char"` and expects them as
 * the driver-adapter column type `Character`, but adapter-pg 7.10 has no mapping for that type and fails
 * the query ("Column type 'char' could not be deserialized"), so every engine command that describes a
 * live database (a diff from migrations; most likely also the schemaPush failure noted in
 * ARCHITECTURE.md §9) fails with the stock adapter. We let adapter-pg read such columns as text and then
 * report them as `Character`. The adapter's own `queryRaw` hands the same query object to `performIO`,
 * which lets the two hooks meet without any shared mutable state across concurrent queries.
 */
function readCharColumns<T extends SqlQueryable>(queryable: T): T {
  const internals = queryable as unknown as Partial<PgQueryableInternals>;
  const performIO = internals.performIO;
  if (typeof performIO !== 'function') {
    throw new Error(
      '@prisma/adapter-pg no longer has performIO(); update prisma/tools/pg-adapter.ts for the new version',
    );
  }
  const charColumns = new WeakMap<SqlQuery, number[]>();
  internals.performIO = async function (this: unknown, query) {
    const result = await performIO.call(this, query);
    const indices: number[] = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        indices.push(index);
      }
    });
    if (indices.length > 0) charColumns.set(query, indices);
    return result;
  };
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const resultSet = await queryRaw(query);
    for (const index of charColumns.get(query) ?? []) {
      resultSet.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return resultSet;
  };
  return queryable;
}

function readCharColumnsInAdapter(adapter: SqlDriverAdapter): SqlDriverAdapter {
  readCharColumns(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) =>
    readCharColumns<Transaction>(await startTransaction(isolationLevel));
  return adapter;
}

/**
 * adapter-pg's executeScript splits the script on every ";" (so dollar-quoted function bodies, string
 * literals or comments containing one break) and runs the pieces one by one. The engine replays each
 * migration.sql through it, so send the script whole instead, as one simple-protocol query: exactly what
 * packages/db/src/migrate.ts does when it applies the migration for real.
 */
async function executeWholeScript(pool: pg.Pool, script: string): Promise<void> {
  try {
    await pool.query(script);
  } catch (error) {
    if (error instanceof pg.DatabaseError) {
      // The shape adapter-pg reports, so the engine prints PostgreSQL's message and code.
      throw new DriverAdapterError({
        kind: 'postgres',
        code: error.code ?? 'N/A',
        severity: error.severity ?? 'N/A',
        message: error.message,
        detail: error.detail,
        column: error.column,
        hint: error.hint,
      });
    }
    throw error;
  }
}

/** An adapter-pg adapter on a pool we own (so we can run whole scripts and end it ourselves). */
async function connectAdapter(connectionString: string): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool({ connectionString, max: 2 });
  // pool.end() resolves before the sockets are closed; the shadow database can only be dropped after.
  const closed: Promise<void>[] = [];
  pool.on('connect', (client) => {
    closed.push(new Promise((resolve) => client.once('end', () => resolve())));
  });
  const end = async (): Promise<void> => {
    await pool.end();
    await Promise.all(closed);
  };
  try {
    const adapter = readCharColumnsInAdapter(await new PrismaPg(pool).connect());
    adapter.executeScript = (script) => executeWholeScript(pool, script);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
      } finally {
        await end();
      }
    };
    return adapter;
  } catch (error) {
    await end();
    throw error;
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export interface PgMigrationAdapterFactory extends SqlMigrationAwareDriverAdapterFactory {
  /** Disposes the connections the engine left open and drops shadow databases it did not release. */
  close(): Promise<void>;
}

/**
 * A driver-adapter factory for the wasm schema engine on top of @prisma/adapter-pg.
 *
 * Shadow databases are created on the server of `url` (the role needs CREATEDB) and dropped when the
 * engine releases them. We do not use `PrismaPg.connectToShadowDb`: with a connection-string config it
 * adds `database` next to `connectionString`, node-postgres lets the connection string win, and the
 * "shadow" connection silently lands in the main database, where the migrations then get replayed.
 */
export function createPgMigrationAdapterFactory(url: string): PgMigrationAdapterFactory {
  const open = new Set<SqlDriverAdapter>();

  const track = (adapter: SqlDriverAdapter, release: () => Promise<void>): SqlDriverAdapter => {
    open.add(adapter);
    adapter.dispose = async () => {
      if (!open.delete(adapter)) return;
      await release();
    };
    return adapter;
  };

  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',

    async connect() {
      const adapter = await connectAdapter(url);
      return track(adapter, adapter.dispose.bind(adapter));
    },

    async connectToShadowDb() {
      const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${quoteIdent(database)}`);
        const adapter = await connectAdapter(withDatabase(url, database));
        const disposeAdapter = adapter.dispose.bind(adapter);
        return track(adapter, async () => {
          try {
            await disposeAdapter();
            // Not WITH (FORCE): all our connections are closed by now, and terminating one the pool
            // still tracks would surface as an uncaught 'error' event.
            await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
          } finally {
            await admin.end();
          }
        });
      } catch (error) {
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`).catch(() => undefined);
        await admin.end();
        throw error;
      }
    },

    async close() {
      const results = await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}
