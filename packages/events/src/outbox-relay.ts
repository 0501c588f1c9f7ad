import type pg from 'pg';
import type { Logger } from 'pino';
import { backoffMs, sleep } from './backoff.ts';
import type { EventEnvelope, EventType } from './catalog.ts';
import type { EventBus } from './event-bus.ts';
import { OUTBOX_CHANNEL } from './outbox.ts';

export interface OutboxRelay {
  stop(): Promise<void>;
  /** Publishes everything unsent right now (waits for another relay holding the lock); for tests. */
  flush(): Promise<void>;
  /** A hint that rows were just committed: poll now instead of at the next interval. */
  notify(): void;
  /** Deletes rows published longer than `retainPublishedMs` ago; runs hourly on its own. Returns the count. */
  prune(): Promise<number>;
}

export interface OutboxRelayOptions {
  pool: pg.Pool;
  bus: EventBus;
  /** The producing subgraph; used in logs. */
  source: string;
  log: Logger;
  pollIntervalMs?: number;
  batchSize?: number;
  /** How long a published row is kept (for audits and replays) before `prune` deletes it; default 7 days. */
  retainPublishedMs?: number;
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

interface OutboxRow {
  seq: string;
  id: string;
  type: string;
  version: number;
  aggregate_id: string;
  data: unknown;
  occurred_at: Date | string;
}

const MAX_BACKOFF_MS = 5_000;
const RELISTEN_MS = 1_000;
// One relay at a time per database publishes, so batches from two relays can never overtake each other.
const RELAY_LOCK_KEY = 747_365_001;

/**
 * Polls `outbox_events` for unsent rows in `seq` order, publishes them through the bus, and marks them
 * sent in the same transaction, only after the bus accepted them. At-least-once: a crash between publish
 * and commit republishes the batch (consumers deduplicate). On failure the rows stay unsent and the relay
 * backs off exponentially (capped at 5 s); a row is never dropped.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { pool, bus } = options;
  // Committed rows wake the relay at once (LISTEN below); polling only covers a missed notification,
  // so it can be slow: each idle poll is four statements, and the all-in-one process runs seven relays.
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const batchSize = options.batchSize ?? 250;
  const retainPublishedMs = options.retainPublishedMs ?? 7 * 24 * 60 * 60 * 1000;
  const log = options.log.child({ component: 'outbox-relay', source: options.source });
  const stopping = new AbortController();
  let wake = new AbortController();
  let failures = 0;

  // Serialises the loop and `flush` inside this process; the advisory lock does it across processes.
  let tail: Promise<unknown> = Promise.resolve();
  function exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const next = tail.then(fn);
    tail = next.catch(() => undefined);
    return next;
  }

  /** Returns how many rows it published, or 'locked' when another relay is publishing. */
  async function publishBatch(): Promise<number | 'locked'> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        RELAY_LOCK_KEY,
      ]);
      if (!lock.rows[0]?.locked) {
        await client.query('COMMIT');
        return 'locked';
      }
      // SKIP LOCKED on top of the advisory lock: a row locked by anything else is skipped, never waited on.
      const { rows } = await client.query<OutboxRow>(
        `SELECT seq, id, type, version, aggregate_id, data, occurred_at
           FROM outbox_events
          WHERE published_at IS NULL
          ORDER BY seq
          LIMIT $1
            FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length > 0) {
        await bus.publish(rows.map(toEnvelope), { signal: stopping.signal });
        await client.query('UPDATE outbox_events SET published_at = now() WHERE seq = ANY($1::bigint[])', [
          rows.map((r) => r.seq),
        ]);
      }
      await client.query('COMMIT');
      if (rows.length > 0)
        log.debug({ count: rows.length, lastSeq: rows.at(-1)?.seq }, 'published outbox events');
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      // A connection that could not even roll back is destroyed rather than returned to the pool.
      client.release(broken);
    }
  }

  async function prune(): Promise<number> {
    const { rowCount } = await pool.query(
      `DELETE FROM outbox_events WHERE published_at < now() - make_interval(secs => $1::double precision)`,
      [retainPublishedMs / 1000],
    );
    if (rowCount) log.info({ deleted: rowCount }, 'pruned published outbox rows');
    return rowCount ?? 0;
  }
  const pruning = setInterval(() => {
    prune().catch((error: unknown) => log.warn({ err: error }, 'outbox prune failed; will retry'));
  }, PRUNE_INTERVAL_MS);
  pruning.unref();

  /**
   * Keeps one connection LISTENing on the outbox channel and wakes the loop on every notification,
   * i.e. as soon as a transaction that enqueued events commits, in this process or another.
   */
  const listening = (async () => {
    while (!stopping.signal.aborted) {
      let client: pg.PoolClient | undefined;
      try {
        client = await pool.connect();
        const connection = client;
        connection.on('notification', () => wake.abort());
        await connection.query(`LISTEN ${OUTBOX_CHANNEL}`);
        wake.abort(); // rows may have committed while nobody listened
        await new Promise<void>((resolve, reject) => {
          connection.once('error', reject);
          stopping.signal.addEventListener('abort', () => resolve(), { once: true });
        });
      } catch (error) {
        if (!stopping.signal.aborted) {
          log.warn(
            { err: error, retryInMs: RELISTEN_MS },
            'outbox LISTEN connection lost; polling meanwhile',
          );
          await sleep(RELISTEN_MS, stopping.signal);
        }
      } finally {
        // A connection that LISTENed never goes back to the pool.
        client?.release(true);
      }
    }
  })();

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      // Renewed before each batch, so a notify() that arrives while the batch runs skips the next sleep.
      wake = new AbortController();
      let delay = pollIntervalMs;
      try {
        const result = await exclusive(publishBatch);
        if (failures > 0) log.info({ failures }, 'outbox relay recovered');
        failures = 0;
        if (result === batchSize) continue;
      } catch (error) {
        failures += 1;
        delay = backoffMs(failures, pollIntervalMs, MAX_BACKOFF_MS);
        log.warn({ err: error, failures, retryInMs: delay }, 'outbox publish failed; rows stay unsent');
      }
      // While backing off from a failure, a notify() must not turn the backoff into a busy loop.
      if (failures > 0) await sleep(delay, stopping.signal);
      else await sleep(delay, stopping.signal, wake.signal);
    }
  })();

  return {
    prune,
    notify() {
      wake.abort();
    },
    async flush() {
      for (;;) {
        const result = await exclusive(publishBatch);
        if (result === 'locked') await sleep(pollIntervalMs);
        else if (result < batchSize) return;
      }
    },
    async stop() {
      clearInterval(pruning);
      stopping.abort();
      await Promise.all([loop, listening]);
    },
  };
}

function toEnvelope(row: OutboxRow): EventEnvelope {
  return {
    id: row.id,
    // Not checked here: the relay forwards every row, and consumers validate what they receive.
    type: row.type as EventType,
    version: row.version,
    occurredAt: new Date(row.occurred_at).toISOString(),
    aggregateId: row.aggregate_id,
    // jsonb arrives parsed with pg's default type parsers; a pool configured otherwise hands us text.
    data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as EventEnvelope['data'],
  };
}
