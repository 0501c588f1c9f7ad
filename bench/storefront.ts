// pnpm bench:storefront — load test of the Storefront(first: 20) contract query through the gateway in
// all-in-one mode. Uses a system already running on :4000 (`pnpm start`), or starts one as a child
// process. After BENCH_WARMUP_SECONDS (5) of the same load, prints req/s, latency p50/p99 and SQL
// statements per request per subgraph database.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { contractOperation } from '@mp/testkit';
import { printLoadTest, statementCounts, warmUp } from './measure.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GATEWAY = process.env.BENCH_GATEWAY_URL ?? 'http://localhost:4000/graphql';
const METRICS = process.env.BENCH_METRICS_URL ?? 'http://127.0.0.1:4001/metrics';
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 20);

async function healthy(): Promise<boolean> {
  try {
    return (await fetch(new URL('/health', GATEWAY), { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

async function startSystem(): Promise<ChildProcess> {
  // The same command as `pnpm start` (packages/all-in-one/package.json), in production mode.
  const child = spawn(
    process.execPath,
    ['--max-semi-space-size=64', '--import', 'tsx', 'packages/all-in-one/src/main.ts'],
    {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const deadline = Date.now() + 90_000;
  while (!(await healthy())) {
    if (child.exitCode !== null) throw new Error(`all-in-one exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('all-in-one did not become healthy within 90 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  return child;
}

const statementsNow = () => statementCounts(METRICS, { requestPoolsOnly: true });

const body = JSON.stringify({ query: contractOperation('Storefront'), variables: { first: 20 } });
const running = await healthy();
if (running)
  console.log(`measuring the system already running at ${GATEWAY} (not a fresh start of this checkout)`);
const child = running ? undefined : await startSystem();
try {
  await warmUp({
    url: GATEWAY,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
  });
  const before = await statementsNow();
  const result = await autocannon({
    url: GATEWAY,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: DURATION,
  });
  printLoadTest(
    `Storefront(first: 20) through the gateway, ${CONNECTIONS} connections, ${DURATION} s`,
    result,
    before,
    await statementsNow(),
  );
  if (result.non2xx > 0 || result.errors > 0) process.exitCode = 1;
} finally {
  child?.kill('SIGTERM');
}
