// pnpm bench:checkout — 20 concurrent buyers check out through the gateway against a fresh all-in-one
// process (its own data directory and embedded PostgreSQL). Each buyer loops as a shopper would: add to
// cart, check out, wait until the order is CONFIRMED (the storefront's "order confirmed" page), again.
// Prints checkouts/s, the Checkout mutation's latency, checkout → CONFIRMED latency (from sending the
// mutation to the moment orders stored CONFIRMED, read from the orders database) and where that time
// goes between saga steps. BENCH_WAIT_FOR_CONFIRMATION=false makes buyers check out again at once
// instead: the saga then falls behind and the latency measures the backlog, not the saga.
import { gatewayClient, type GatewayClient } from '@mp/testkit';
import pg from 'pg';
import { DEMO, login, registerBuyer } from '../packages/all-in-one/test/helpers.ts';
import { addToCart, checkout, listProduct } from '../packages/all-in-one/test/marketplace.ts';
import { metricsUrlOf, percentile, startBenchSystem, statementCounts } from './measure.ts';

const BUYERS = Number(process.env.BENCH_BUYERS ?? 20);
const DURATION_MS = Number(process.env.BENCH_DURATION_SECONDS ?? 20) * 1_000;
const WAIT_FOR_CONFIRMATION = process.env.BENCH_WAIT_FOR_CONFIRMATION !== 'false';
const POLL_MS = 10;

interface Sent {
  orderId: string;
  sentAt: number;
  answeredAt: number;
}

/**
 * Watches the orders database for orders leaving PENDING: one query for all waiting buyers every
 * POLL_MS, so waiting adds no load to the system under test beyond a primary-key lookup.
 */
function confirmationWatcher(orders: pg.Client) {
  const waiting = new Map<string, (status: string) => void>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (waiting.size > 0) {
        const { rows } = await orders.query<{ id: string; status: string }>(
          "SELECT id::text, status::text FROM orders WHERE id = ANY($1::uuid[]) AND status <> 'PENDING'",
          [[...waiting.keys()]],
        );
        for (const row of rows) {
          waiting.get(row.id)?.(row.status);
          waiting.delete(row.id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  })();
  return {
    settled: (orderId: string) => new Promise<string>((resolve) => waiting.set(orderId, resolve)),
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

async function buyerLoop(
  client: GatewayClient,
  token: string,
  productId: string,
  until: number,
  settled: (orderId: string) => Promise<string>,
): Promise<Sent[]> {
  const sent: Sent[] = [];
  while (Date.now() < until) {
    const added = await addToCart(client, token, productId, 1);
    if (added.userErrors.length > 0) throw new Error(JSON.stringify(added.userErrors));
    const sentAt = Date.now();
    const answer = await checkout(client, token);
    if (!answer.order) throw new Error(JSON.stringify(answer.userErrors));
    sent.push({ orderId: answer.order.id, sentAt, answeredAt: Date.now() });
    if (WAIT_FOR_CONFIRMATION) await settled(answer.order.id);
  }
  return sent;
}

const statementsNow = () => statementCounts(metricsUrlOf(Object.values(system.subgraphUrls)[0]!));

/** When each saga event of the measured orders was enqueued, per type, from the producers' outboxes. */
async function outboxTimes(
  subgraph: string,
  type: string,
  ids: readonly string[],
  column: 'occurred_at' | 'published_at' = 'occurred_at',
): Promise<Map<string, number>> {
  const db = new pg.Client({ connectionString: system.databaseUrl(subgraph) });
  await db.connect();
  try {
    const { rows } = await db.query<{ aggregate_id: string; at: string }>(
      `SELECT aggregate_id, (extract(epoch from ${column}) * 1000)::text AS at
         FROM outbox_events WHERE type = $1 AND aggregate_id = ANY($2::text[])`,
      [type, ids],
    );
    return new Map(rows.map((r) => [r.aggregate_id, Number(r.at)]));
  } finally {
    await db.end();
  }
}

/** Where checkout → CONFIRMED goes: the time between consecutive saga steps, p50/p99. */
async function printStages(ids: readonly string[], confirmed: ReadonlyMap<string, { confirmed_at: string }>) {
  const steps = [
    ['order.placed', await outboxTimes('orders', 'order.placed', ids)],
    ['order.placed published', await outboxTimes('orders', 'order.placed', ids, 'published_at')],
    ['stock.reserved', await outboxTimes('catalog', 'stock.reserved', ids)],
    ['stock.reserved published', await outboxTimes('catalog', 'stock.reserved', ids, 'published_at')],
    ['payment.authorized', await outboxTimes('payments', 'payment.authorized', ids)],
    [
      'payment.authorized published',
      await outboxTimes('payments', 'payment.authorized', ids, 'published_at'),
    ],
    ['CONFIRMED', new Map([...confirmed].map(([id, row]) => [id, Number(row.confirmed_at)]))],
  ] as const;
  console.log(
    '  between saga steps (enqueued in the producer outbox, or published by its relay; p50 / p99):',
  );
  for (let i = 1; i < steps.length; i++) {
    const [fromName, from] = steps[i - 1]!;
    const [toName, to] = steps[i]!;
    const gaps = ids
      .flatMap((id) => (from.has(id) && to.has(id) ? [to.get(id)! - from.get(id)!] : []))
      .sort((a, b) => a - b);
    console.log(
      `    ${`${fromName} → ${toName}`.padEnd(56)} ${percentile(gaps, 50).toFixed(0)} / ${percentile(gaps, 99).toFixed(0)} ms`,
    );
  }
}

const bench = await startBenchSystem('checkout');
const { system } = bench;
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
  await orders.connect();
  const watcher = confirmationWatcher(orders);
  await Promise.all(
    buyers.map((b, i) => buyerLoop(client, b.accessToken, products[i]!, Date.now() + 2_000, watcher.settled)),
  );

  const statementsBefore = await statementsNow();
  const startedAt = Date.now();
  const sent = (
    await Promise.all(
      buyers.map((b, i) =>
        buyerLoop(client, b.accessToken, products[i]!, startedAt + DURATION_MS, watcher.settled),
      ),
    )
  ).flat();
  const elapsed = (Date.now() - startedAt) / 1_000;

  // Let the last sagas finish, then read when each order became CONFIRMED.
  await watcher.stop();
  const statementsAfter = await statementsNow();
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
    `\nCheckout through the gateway, ${BUYERS} concurrent buyers${hot ? ' of one product' : ', one product each'}${
      WAIT_FOR_CONFIRMATION ? ', each waiting for CONFIRMED' : ', not waiting (saturation)'
    }, ${elapsed.toFixed(1)} s (all-in-one, fresh data)`,
  );
  console.log(`  checkouts:            ${sent.length} (${(sent.length / elapsed).toFixed(1)} checkouts/s)`);
  console.log(
    `  Checkout mutation:    p50 ${percentile(mutation, 50)} ms, p99 ${percentile(mutation, 99)} ms`,
  );
  console.log(
    `  checkout → CONFIRMED: p50 ${percentile(toConfirmed, 50)} ms, p99 ${percentile(toConfirmed, 99)} ms, max ${toConfirmed.at(-1)} ms`,
  );
  await printStages(ids, byId);
  console.log('  SQL statements per checkout (request pools and the payments worker; saga included):');
  for (const [database, count] of Object.entries(statementsAfter)) {
    const per = (count - (statementsBefore[database] ?? 0)) / sent.length;
    console.log(`    ${database.padEnd(16)} ${per.toFixed(1)}`);
  }
  if (notConfirmed > 0) {
    console.log(`  NOT CONFIRMED:        ${notConfirmed} orders (still pending or cancelled)`);
    process.exitCode = 1;
  }
} finally {
  await orders.end().catch(() => undefined);
  await bench.close();
}
