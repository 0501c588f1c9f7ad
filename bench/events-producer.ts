// The producing side of `pnpm bench:events`, in its own process as a producing service would be: writes
// seller.status_changed events to the outbox of DATABASE_URL (10 per transaction, one aggregate per
// transaction) and prints a JSON line with its start time when done.
//   MODE=saturate EVENTS=20000   20 concurrent writers over 100 aggregates, as fast as they go
//   MODE=steady RATE=1000        RATE events/s for 5 s
import { createPgTransactionRunner, enqueueEvent } from '@mp/events';
import pg from 'pg';

const AGGREGATES = 100;
const WRITERS = 20;
const PER_TX = 10;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: WRITERS });
const transaction = createPgTransactionRunner(pool);
const prefix = process.env.AGGREGATE_PREFIX ?? 'agg';

function produce(aggregate: string, n: number): Promise<void> {
  return transaction(async (tx) => {
    for (let i = n; i < n + PER_TX; i += 1) {
      await enqueueEvent(tx, 'seller.status_changed', aggregate, {
        sellerId: aggregate,
        ownerId: `owner-${aggregate}`,
        status: i % 2 === 0 ? 'SUSPENDED' : 'ACTIVE',
        previousStatus: i % 2 === 0 ? 'ACTIVE' : 'SUSPENDED',
      });
    }
  });
}

const startedAt = Date.now();
let produced = 0;
if (process.env.MODE === 'steady') {
  const rate = Number(process.env.RATE ?? 1_000);
  const ticks = 5 * (rate / PER_TX);
  const intervalMs = 1_000 / (rate / PER_TX);
  const t0 = performance.now();
  const writes: Promise<void>[] = [];
  for (let tick = 0; tick < ticks; tick += 1) {
    const wait = t0 + tick * intervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    writes.push(produce(`${prefix}-${tick % AGGREGATES}`, tick * PER_TX));
  }
  await Promise.all(writes);
  produced = ticks * PER_TX;
} else {
  const rounds = Math.ceil(Number(process.env.EVENTS ?? 20_000) / AGGREGATES / PER_TX);
  const perWriter = AGGREGATES / WRITERS;
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let round = 0; round < rounds; round += 1) {
        for (let a = w * perWriter; a < (w + 1) * perWriter; a += 1) {
          await produce(`${prefix}-${a}`, round * PER_TX);
        }
      }
    }),
  );
  produced = rounds * PER_TX * AGGREGATES;
}
process.stdout.write(`${JSON.stringify({ startedAt, produced, ms: Date.now() - startedAt })}\n`);
await pool.end();
