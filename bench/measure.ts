// Shared by the benchmark scripts: how they start the system and read figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { freePostgresPort, spawnAllInOne } from '../packages/all-in-one/test/process.ts';

/** Seconds of load before a measured run (BENCH_WARMUP_SECONDS, default 5), left out of its figures. */
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);

/**
 * Load at the measured concurrency for WARMUP_SECONDS, so a run measures the steady state: optimized
 * code (V8 tiers up over thousands of requests), full connection pools, cached query plans.
 */
export async function warmUp(options: autocannon.Options): Promise<void> {
  if (WARMUP_SECONDS > 0) await autocannon({ ...options, duration: WARMUP_SECONDS });
}

/** The p-th percentile (nearest rank) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * `db_statements_total` per database from a subgraph's `/metrics` (the all-in-one process's subgraphs
 * share one registry, so any of them reports every database).
 */
export async function statementCounts(
  metricsUrl: string,
  options: { requestPoolsOnly?: boolean } = {},
): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^db_statements_total\{database="([\w-]+)"\} (\d+)/gm)) {
    // Background pools are labelled `<subgraph>-<role>` (the payments worker's): they poll on their own.
    if (options.requestPoolsOnly && match[1]!.includes('-')) continue;
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

/** `/metrics` next to a subgraph's or the gateway's `/graphql` URL. */
export const metricsUrlOf = (graphqlUrl: string) => graphqlUrl.replace(/\/graphql$/, '/metrics');

/**
 * A fresh all-in-one process for one benchmark: its own data directory and embedded PostgreSQL,
 * production mode, the carrier simulator off. `BENCH_CPU_PROFILE=<dir>` writes V8 CPU profiles of its
 * threads when it stops. `close()` stops it and deletes its data.
 */
export async function startBenchSystem(name: string, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), `mp-bench-${name}-`));
  const system = await spawnAllInOne({
    dataDir,
    postgresPort: await freePostgresPort(),
    // info: the ready line (which names the gateway's random port) is logged at info; the output is discarded.
    env: { NODE_ENV: 'production', LOG_LEVEL: 'info', CARRIER_SIMULATOR_STEP_MS: '0', ...env },
    nodeArgs: process.env.BENCH_CPU_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
      : [],
  });
  return {
    system,
    dataDir,
    close: async () => {
      await system.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** One autocannon run's figures, with the SQL statements each database sent per request. */
export function printLoadTest(
  title: string,
  result: autocannon.Result,
  before: Record<string, number>,
  after: Record<string, number>,
): void {
  const requests = result.requests.total;
  console.log(`\n${title}`);
  console.log(`  requests:   ${requests} (${result.non2xx} non-2xx, ${result.errors} errors)`);
  console.log(`  throughput: ${result.requests.average.toFixed(1)} req/s`);
  console.log(
    `  latency:    p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
  );
  console.log('  SQL statements per request:');
  for (const [database, count] of Object.entries(after)) {
    console.log(`    ${database.padEnd(16)} ${((count - (before[database] ?? 0)) / requests).toFixed(2)}`);
  }
}
