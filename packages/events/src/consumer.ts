import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { backoffMs, errorMessage, sleep } from './backoff.ts';
import { isEventType, type EventEnvelope, type EventType } from './catalog.ts';
import { parseEnvelope } from './envelope.ts';
import type { EventBus } from './event-bus.ts';
import type { SqlTx } from './sql-tx.ts';

export interface Consumer {
  /** Resolves when the group receives events (Kafka: it joined the consumer group). */
  ready: Promise<void>;
  /**
   * Stops taking events and waits for the ones being handled. An event whose handler is between
   * retries is left unacknowledged (delivered again after restart), never dropped.
   */
  stop(): Promise<void>;
}

export interface ConsumerOptions<Tx extends SqlTx, T extends EventType> {
  /** Consumer group: the consuming subgraph's name. Also the `consumer` column of its inbox rows. */
  group: string;
  types: readonly T[];
  /** Runs `fn` in one database transaction, e.g. `(fn) => prisma.$transaction(fn)`. */
  transaction: (fn: (tx: Tx) => Promise<void>) => Promise<void>;
  /** The effect. Runs in the same transaction as the inbox row, so it commits exactly once. */
  handle: (event: EventEnvelope<T>, tx: Tx) => Promise<void>;
  log: Logger;
  /** Handler attempts before the event goes to `dead_letter_events`; default 5. */
  maxAttempts?: number;
}

const RETRY_BASE_MS = 20;
const RETRY_CAP_MS = 1_000;
const DEAD_LETTER_RETRY_CAP_MS = 5_000;

/**
 * Subscribes `handle` to the bus with an inbox: each event runs in one transaction that first records
 * (event id, group) in `inbox_events` and skips the event if that row already existed. A failing handler
 * is retried with backoff up to `maxAttempts`, then the event is written to `dead_letter_events` and the
 * next event of its aggregate proceeds. An envelope with an unknown type, version or invalid payload goes
 * to dead letter without running the handler.
 */
export function startConsumer<Tx extends SqlTx, T extends EventType>(
  bus: EventBus,
  options: ConsumerOptions<Tx, T>,
): Consumer {
  const { group, transaction } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const log = options.log.child({ component: 'event-consumer', group });
  const wanted = new Set<EventType>(options.types);
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();

  async function handleOnce(event: EventEnvelope<T>): Promise<'applied' | 'duplicate'> {
    let outcome: 'applied' | 'duplicate' = 'applied';
    await transaction(async (tx) => {
      const inserted = await tx.$executeRaw`
        INSERT INTO inbox_events (event_id, consumer, type)
        VALUES (${event.id}::uuid, ${group}, ${event.type})
        ON CONFLICT DO NOTHING`;
      if (inserted === 0) {
        outcome = 'duplicate';
        return;
      }
      await options.handle(event, tx);
    });
    return outcome;
  }

  async function consume(raw: EventEnvelope): Promise<void> {
    // A transport may hand over more than this group asked for; another group's event is not ours to judge.
    if (typeof raw.type === 'string' && isEventType(raw.type) && !wanted.has(raw.type)) return;
    const checked = parseEnvelope(raw);
    if (!checked.ok) {
      log.error({ eventId: raw.id, type: raw.type, error: checked.error }, 'invalid event; dead-lettered');
      return deadLetter(raw, checked.error, 0);
    }
    // `wanted` holds exactly the types in T, so the envelope is an EventEnvelope<T>.
    const event = checked.envelope as EventEnvelope<T>;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      try {
        const outcome = await handleOnce(event);
        if (outcome === 'duplicate')
          log.debug({ eventId: event.id, type: event.type }, 'already processed; skipped');
        return;
      } catch (error) {
        lastError = error;
        const retryInMs = attempt < maxAttempts ? backoffMs(attempt, RETRY_BASE_MS, RETRY_CAP_MS) : undefined;
        log.warn(
          { err: error, eventId: event.id, type: event.type, attempt, maxAttempts, retryInMs },
          'event handler failed',
        );
        if (retryInMs === undefined) break;
        // Stopping: leave the event unacknowledged rather than spend the remaining attempts now.
        if (stopping.signal.aborted) throw error;
        await sleep(retryInMs, stopping.signal);
      }
    }
    log.error(
      { err: lastError, eventId: event.id, type: event.type, attempts: maxAttempts },
      'event dead-lettered',
    );
    await deadLetter(event, errorMessage(lastError), maxAttempts);
  }

  /**
   * Records the event in `dead_letter_events` and (when its id is a uuid) in the inbox, in one
   * transaction, so a redelivery of a dead-lettered event is skipped rather than retried again; then
   * copies it to the bus's dead-letter destination. Keeps trying while the database is unreachable; on
   * stop it rejects, which leaves the event unacknowledged for redelivery.
   */
  async function deadLetter(raw: EventEnvelope, error: string, attempts: number): Promise<void> {
    const eventId = isUuid(raw.id) ? raw.id : undefined;
    const type = typeof raw.type === 'string' ? raw.type : String(raw.type);
    const aggregateId = typeof raw.aggregateId === 'string' ? raw.aggregateId : String(raw.aggregateId);
    const envelope = safeJson(raw);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await transaction(async (tx) => {
          if (eventId !== undefined) {
            const inserted = await tx.$executeRaw`
              INSERT INTO inbox_events (event_id, consumer, type)
              VALUES (${eventId}::uuid, ${group}, ${type})
              ON CONFLICT DO NOTHING`;
            if (inserted === 0) return;
          }
          await tx.$executeRaw`
            INSERT INTO dead_letter_events (id, consumer, type, aggregate_id, envelope, error, attempts)
            VALUES (${randomUUID()}::uuid, ${group}, ${type}, ${aggregateId}, ${envelope}::jsonb, ${error},
                    ${attempts}::int)`;
        });
        break;
      } catch (writeError) {
        if (stopping.signal.aborted) throw writeError;
        const retryInMs = backoffMs(attempt, RETRY_BASE_MS, DEAD_LETTER_RETRY_CAP_MS);
        log.error({ err: writeError, eventId: raw.id, retryInMs }, 'could not write dead letter; retrying');
        await sleep(retryInMs, stopping.signal);
      }
    }
    await bus.deadLetter(group, raw, error).catch((copyError: unknown) => {
      // The table row is the record; the bus copy is for operators' tooling.
      log.warn({ err: copyError, eventId: raw.id }, 'dead letter recorded, but not copied to the bus');
    });
  }

  const subscription = bus.subscribe(group, options.types, (raw) => {
    if (stopping.signal.aborted) {
      return Promise.reject(
        new Error(`Consumer group "${group}" is stopped; event ${raw.id} was not handled`),
      );
    }
    const task = consume(raw);
    inFlight.add(task);
    return task.finally(() => inFlight.delete(task));
  });

  return {
    ready: subscription.ready,
    async stop() {
      stopping.abort();
      await subscription.unsubscribe();
      await Promise.allSettled(inFlight);
    },
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    return JSON.stringify({ unserializable: String(value), reason: errorMessage(error) });
  }
}
