// pnpm bench:checkout — 20 concurrent buyers check out through the gateway against a fresh all-in-one
// process (its own data directory and embedded PostgreSQL). Each buyer loops: add to cart, check out.
// Prints checkouts/s, the Checkout mutation's latency, and checkout→CONFIRMED latency (from sending the
// mutation to the moment orders stored CONFIRMED, read from the orders database afterwards, so measuring
// adds no load).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gatewayClient, type GatewayClient } from '@mp/testkit';
import pg from 'pg';
import { DEMO, login, registerBuyer } from '../packages/all-in-one/test/helpers.ts';
import { addToCart, checkout, listProduct } from '../packages/all-in-one/test/marketplace.ts';
import { spawnAllInOne } from '../packages/all-in-one/test/process.ts';

const BUYERS = Number(process.env.BENCH_BUYERS ?? 20);
const DURATION_MS = Number(process.env.BENCH_DURATION_SECONDS ?? 20) * 1_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

interface Sent {
  orderId: string;
  sentAt: number;
  answeredAt: number;
}

async function buyerLoop(
  client: GatewayClient,
  token: string,
  productId: string,
  until: number,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  while (Date.now() < until) {
    const added = await addToCart(client, token, productId, 1);
    if (added.userErrors.length > 0) throw new Error(JSON.stringify(added.userErrors));
    const sentAt = Date.now();
    const answer = await checkout(client, token);
    if (!answer.order) throw new Error(JSON.stringify(answer.userErrors));
    sent.push({ orderId: answer.order.id, sentAt, answeredAt: Date.now() });
  }
  return sent;
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'mp-bench-checkout-'));
const system = await spawnAllInOne({
  dataDir,
  postgresPort: 57_000 + (process.pid % 1_000),
  // info: the ready line (which names the gateway's random port) is logged at info; the output is discarded.
  env: { NODE_ENV: 'production', LOG_LEVEL: 'info', CARRIER_SIMULATOR_STEP_MS: '0' },
});
const orders = new pg.Client({ connectionString: system.databaseUrl('orders') });
try {
  const client = gatewayClient(system.gatewayUrl);
  const seller = await login(client, DEMO.seller);
  const buyers = await Promise.all(Array.from({ length: BUYERS }, () => registerBuyer(client)));
  // One product per buyer (a storefront's spread of purchases); BENCH_HOT_PRODUCT=true makes every buyer
  // buy the same one, which serializes reservations on its row.
  const hot = process.env.BENCH_HOT_PRODUCT === 'true';
  const products: string[] = [];
  for (const [i, buyer] of buyers.entries()) {
    products.push(
      hot && i > 0
        ? products[0]!
        : await listProduct(client, seller.accessToken, buyer.accessToken, { stock: 1_000_000 }),
    );
  }
  // Warm-up: JIT, pools, query plans.
  await Promise.all(buyers.map((b, i) => buyerLoop(client, b.accessToken, products[i]!, Date.now() + 2_000)));

  const startedAt = Date.now();
  const sent = (
    await Promise.all(
      buyers.map((b, i) => buyerLoop(client, b.accessToken, products[i]!, startedAt + DURATION_MS)),
    )
  ).flat();
  const elapsed = (Date.now() - startedAt) / 1_000;

  // Let the last sagas finish, then read when each order became CONFIRMED.
  await orders.connect();
  const ids = sent.map((s) => s.orderId);
  let settled: { id: string; status: string; confirmed_at: string }[] = [];
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    settled = (
      await orders.query<{ id: string; status: string; confirmed_at: string }>(
        `SELECT id::text, status::text, (extract(epoch from updated_at) * 1000)::text AS confirmed_at
           FROM orders WHERE id = ANY($1::uuid[]) AND status <> 'PENDING'`,
        [ids],
      )
    ).rows;
    if (settled.length === ids.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const byId = new Map(settled.map((row) => [row.id, row]));
  const toConfirmed = sent
    .flatMap((s) => {
      const row = byId.get(s.orderId);
      return row?.status === 'CONFIRMED' ? [Number(row.confirmed_at) - s.sentAt] : [];
    })
    .sort((a, b) => a - b);
  const mutation = sent.map((s) => s.answeredAt - s.sentAt).sort((a, b) => a - b);
  const notConfirmed = sent.length - toConfirmed.length;

  console.log(
    `\nCheckout through the gateway, ${BUYERS} concurrent buyers${hot ? ' of one product' : ', one product each'}, ${elapsed.toFixed(1)} s (all-in-one, fresh data)`,
  );
  console.log(`  checkouts:            ${sent.length} (${(sent.length / elapsed).toFixed(1)} checkouts/s)`);
  console.log(
    `  Checkout mutation:    p50 ${percentile(mutation, 50)} ms, p99 ${percentile(mutation, 99)} ms`,
  );
  console.log(
    `  checkout → CONFIRMED: p50 ${percentile(toConfirmed, 50)} ms, p99 ${percentile(toConfirmed, 99)} ms, max ${toConfirmed.at(-1)} ms`,
  );
  if (notConfirmed > 0) {
    console.log(`  NOT CONFIRMED:        ${notConfirmed} orders (still pending or cancelled)`);
    process.exitCode = 1;
  }
} finally {
  await orders.end().catch(() => undefined);
  await system.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
