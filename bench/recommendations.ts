// pnpm bench:recommendations — load test of the contract's RecommendedForMe(first: 10) through the
// gateway, against a fresh all-in-one process (its own data directory and embedded PostgreSQL, demo
// data, production mode): as the demo buyer, who has a purchase history (the personal feed: neighbours
// read per request), then as a guest (the cached popular feed). 20 connections, 20 s each by default.
// Prints req/s, latency p50/p99 and SQL statements per request per subgraph database; then the same
// personal feed asked of the recommendations subgraph alone (with the gateway's credential), the share
// of the latency that is this subgraph's own.
// Each run follows BENCH_WARMUP_SECONDS (5) of the same load, left out of its figures.
// BENCH_CONNECTIONS, BENCH_DURATION_SECONDS override the defaults; BENCH_CPU_PROFILE=<dir> writes V8 CPU
// profiles of the system's threads when it stops.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { contractOperation, gatewayClient } from '@mp/testkit';
import { DEMO, login } from '../packages/all-in-one/test/helpers.ts';
import { GATEWAY_CREDENTIAL_HEADER, createGatewayCredentialSigner } from '../packages/auth/src/index.ts';
import { metricsUrlOf, printLoadTest, startBenchSystem, statementCounts, warmUp } from './measure.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION = Number(process.env.BENCH_DURATION_SECONDS ?? 20);

const bench = await startBenchSystem('recommendations');
const { system, dataDir } = bench;

const statementsNow = () =>
  statementCounts(metricsUrlOf(Object.values(system.subgraphUrls)[0]!), { requestPoolsOnly: true });

async function measure(
  label: string,
  token: string | undefined,
  target: { url: string; query: string; headers?: Record<string, string> } = {
    url: system.gatewayUrl,
    query: contractOperation('RecommendedForMe'),
  },
): Promise<boolean> {
  const options = {
    url: target.url,
    method: 'POST' as const,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...target.headers,
    },
    body: JSON.stringify({ query: target.query, variables: { first: 10 } }),
  };
  await warmUp({ ...options, connections: CONNECTIONS });
  const before = await statementsNow();
  const result = await autocannon({ ...options, connections: CONNECTIONS, duration: DURATION });
  printLoadTest(`${label}, ${CONNECTIONS} connections, ${DURATION} s`, result, before, await statementsNow());
  return result.non2xx === 0 && result.errors === 0;
}

try {
  const client = gatewayClient(system.gatewayUrl);
  const buyer = await login(client, DEMO.buyer);
  // The demo buyer's feed must be personal, or this would measure the guest path twice.
  const { recommendedProducts } = await client.data<{ recommendedProducts: { title: string }[] }>(
    contractOperation('RecommendedForMe'),
    { first: 10 },
    buyer.accessToken,
  );
  if (recommendedProducts.length !== 10)
    throw new Error(`the demo buyer got ${recommendedProducts.length} products`);
  const personalOk = await measure(
    'RecommendedForMe(first: 10) through the gateway as the demo buyer (personal feed)',
    buyer.accessToken,
  );
  const guestOk = await measure(
    'RecommendedForMe(first: 10) through the gateway as a guest (cached popular feed)',
    undefined,
  );
  // The gateway's first fetch on its own: what the recommendations subgraph adds to the latency.
  const { gatewaySecret } = JSON.parse(readFileSync(path.join(dataDir, 'dev-secrets.json'), 'utf8')) as {
    gatewaySecret: string;
  };
  const subgraphUrl = system.subgraphUrls.recommendations;
  const directOk = subgraphUrl
    ? await measure(
        'recommendedProducts(first: 10) { id } from the recommendations subgraph alone, as the demo buyer',
        buyer.accessToken,
        {
          url: subgraphUrl,
          query: 'query ($first: Int!) { recommendedProducts(first: $first) { id } }',
          headers: {
            [GATEWAY_CREDENTIAL_HEADER]:
              await createGatewayCredentialSigner(gatewaySecret)('recommendations'),
          },
        },
      )
    : true;
  if (!personalOk || !guestOk || !directOk) process.exitCode = 1;
} finally {
  await bench.close();
}
