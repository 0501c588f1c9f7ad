import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { backoffMs, errorMessage, sleep } from './backoff.ts';
import { isEventType, type AnyEnvelope, type EventEnvelope, type EventType } from './catalog.ts';
import { parseEnvelope } from './envelope.ts';
import type { EventBus } from './event-bus.ts';
import type { SqlTx } from './sql-tx.ts';
import { isDataError, isTransientDatabaseError } from './transient-errors.ts';

export interface Consumer {
  /** Resolves when the group receives events (Kafka: it joined the consumer group). */
  ready: Promise<void>;
  /**
   * Stops taking events and waits for the ones being handled. An event whose handler is between
   * retries is left unacknowledged (delivered again after restart), never dropped.
   */
  stop(): Promise<void>;
  /** Deletes this group's inbox rows older than `retainInboxMs`; runs hourly on its own. */
  prune(): Promise<void>;
}

export interface ConsumerOptions<Tx extends SqlTx, T extends EventType> {
  /** Consumer group: the consuming subgraph's name. Also the `consumer` column of its inbox rows. */
  group: string;
  types: readonly T[];
  /** Runs `fn` in one database transaction, e.g. `(fn) => prisma.$transaction(fn)`. */
  transaction: (fn: (tx: Tx) => Promise<void>) => Promise<void>;
  /** The effect. Runs in the same transaction as the inbox row, so it commits exactly once. */
  handle: (event: AnyEnvelope<T>, tx: Tx) => Promise<void>;
  log: Logger;
  /** Handler attempts before the event goes to `dead_letter_events`; default 5. */
  maxAttempts?: number;
  /**
   * One transaction per event instead of per delivered batch. For handlers that lock rows events of
   * other aggregates lock too (a product's stock, reserved by many orders): a batch would hold the locks
   * of many events, taken in no common order, and deadlock against the batches of other lanes (each
   * deadlock costs PostgreSQL's deadlock_timeout, 1 s, before the batch falls back to one by one).
   */
  transactionPerEvent?: boolean;
  /**
   * How long processed event ids are remembered; default 30 days. Keep it longer than the transport can
   * redeliver (Kafka topic retention, outbox republish after a long outage), or a late duplicate applies.
   */
  retainInboxMs?: number;
}

const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

const RETRY_BASE_MS = 20;
const RETRY_CAP_MS = 1_000;
const OUTAGE_RETRY_CAP_MS = 5_000;

/**
 * Subscribes `handle` to the bus with an inbox table, so each event's effect commits exactly once.
 *
 * A delivered batch first runs in ONE transaction: insert the inbox rows of all its events (those
 * already there are duplicates and skipped), then `handle` each new event in order, then commit. If
 * anything in it throws, the batch falls back to one transaction per event: a failing handler is retried
 * with backoff up to `maxAttempts`, then the event goes to `dead_letter_events` (with the inbox row, so
 * a redelivery is skipped) and the next event proceeds. Database outages (see transient-errors.ts) are
 * retried without spending attempts. An envelope with an unknown type, version or invalid payload goes to
 * dead letter without running the handler.
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

  /** Inserts the inbox rows; returns the ids that were new (the others were processed before). */
  async function recordInInbox(tx: Tx, events: readonly EventEnvelope[]): Promise<Set<string>> {
    const rows = (await tx.$queryRaw`
      INSERT INTO inbox_events (event_id, consumer, type)
      SELECT id, ${group}, type FROM unnest(${events.map((e) => e.id)}::uuid[], ${events.map((e) => e.type)}::text[]) AS e(id, type)
      ON CONFLICT DO NOTHING
      RETURNING event_id::text AS event_id`) as { event_id: string }[];
    return new Set(rows.map((row) => row.event_id));
  }

  /**
   * All of `events` in one transaction; throws (and commits nothing) if anything fails. A handler's
   * failure comes wrapped in a HandlerFailure naming its event, so that attempt counts for that event.
   * Ids are lowercase (parseEnvelope), as PostgreSQL returns them; a second copy of an event in the
   * same batch finds its id already taken from `fresh` and is skipped.
   */
  async function handleTogether(events: readonly EventEnvelope<T>[]): Promise<void> {
    await transaction(async (tx) => {
      const fresh = await recordInInbox(tx, events);
      for (const event of events) {
        if (!fresh.delete(event.id)) continue;
        try {
          // An EventEnvelope<T> is one of AnyEnvelope<T>'s members; TypeScript cannot see it for a generic T.
          await options.handle(event as AnyEnvelope<T>, tx);
        } catch (error) {
          throw new HandlerFailure(event.id, error);
        }
      }
    });
  }

  const isOutage = (failure: unknown): boolean =>
    failure instanceof HandlerFailure
      ? isTransientDatabaseError(failure.cause, { inHandler: true })
      : isTransientDatabaseError(failure, { inHandler: false });

  /** One event on its own: retries, then dead letter. Rejects only when stopping (left unacknowledged). */
  async function handleAlone(event: EventEnvelope<T>, earlier?: HandlerFailure): Promise<void> {
    let lastError: unknown = earlier?.cause;
    let attempt = 1;
    if (earlier && !isOutage(earlier)) {
      // The batch attempt was this event's first; wait as after any failed attempt.
      attempt = 2;
      await sleep(backoffMs(1, RETRY_BASE_MS, RETRY_CAP_MS), stopping.signal);
    }
    for (let outages = 0; attempt <= maxAttempts;) {
      try {
        await handleTogether([event]);
        return;
      } catch (failure) {
        const error = failure instanceof HandlerFailure ? failure.cause : failure;
        lastError = error;
        if (stopping.signal.aborted) throw error; // unacknowledged: delivered again after restart
        if (isOutage(failure)) {
          outages += 1;
          const retryInMs = backoffMs(outages, RETRY_BASE_MS * 5, OUTAGE_RETRY_CAP_MS);
          log.warn({ err: error, eventId: event.id, retryInMs }, 'database unavailable; retrying the event');
          await sleep(retryInMs, stopping.signal);
          continue;
        }
        const retryInMs = attempt < maxAttempts ? backoffMs(attempt, RETRY_BASE_MS, RETRY_CAP_MS) : undefined;
        log.warn(
          { err: error, eventId: event.id, type: event.type, attempt, maxAttempts, retryInMs },
          'event handler failed',
        );
        attempt += 1;
        if (retryInMs !== undefined) await sleep(retryInMs, stopping.signal);
      }
    }
    log.error(
      { err: lastError, eventId: event.id, type: event.type, attempts: maxAttempts },
      'event dead-lettered',
    );
    await deadLetter(event, errorMessage(lastError), maxAttempts);
  }

  async function consume(batch: readonly EventEnvelope[]): Promise<void> {
    const events: EventEnvelope<T>[] = [];
    for (const raw of batch) {
      // A topic carries every type of its aggregate family, including types this build does not know
      // yet (a producer deployed first): neither is this group's to judge.
      if (typeof raw.type === 'string' && !(isEventType(raw.type) && wanted.has(raw.type))) {
        if (!isEventType(raw.type))
          log.debug({ eventId: raw.id, type: raw.type }, 'unknown event type; skipped');
        continue;
      }
      const checked = parseEnvelope(raw);
      if (checked.ok) {
        // `wanted` holds exactly the types in T, so the envelope is an EventEnvelope<T>.
        events.push(checked.envelope as EventEnvelope<T>);
      } else {
        log.error({ eventId: raw.id, type: raw.type, error: checked.error }, 'invalid event; dead-lettered');
        // No inbox row: once this build reads the version (or the producer is fixed), a replay applies it.
        await deadLetter(raw, checked.error, 0, { remember: false });
      }
    }
    if (events.length === 0) return;
    if (options.transactionPerEvent) {
      for (const event of events) await handleAlone(event);
      return;
    }
    let failed: HandlerFailure | undefined;
    try {
      await handleTogether(events);
      return;
    } catch (error) {
      if (stopping.signal.aborted) throw error;
      if (error instanceof HandlerFailure) failed = error;
      if (events.length > 1) {
        log.debug({ err: error, count: events.length }, 'batch failed; handling its events one by one');
      }
    }
    for (const event of events) await handleAlone(event, failed?.eventId === event.id ? failed : undefined);
  }

  /**
   * Records the event in `dead_letter_events`, and with `remember` its id in the inbox in the same
   * transaction (a redelivery of a poison event is then skipped rather than retried again); then copies
   * it to the bus's dead-letter destination. Keeps trying while the write fails (an envelope PostgreSQL
   * cannot store, e.g. with NUL characters, is stored as sanitized text instead); on stop it rejects,
   * which leaves the event unacknowledged for redelivery.
   */
  async function deadLetter(
    raw: EventEnvelope,
    error: string,
    attempts: number,
    { remember }: { remember: boolean } = { remember: true },
  ): Promise<void> {
    const eventId = remember && isUuid(raw.id) ? raw.id.toLowerCase() : undefined;
    const type = typeof raw.type === 'string' ? raw.type : String(raw.type);
    const aggregateId = typeof raw.aggregateId === 'string' ? raw.aggregateId : String(raw.aggregateId);
    let envelope = safeJson(raw);
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
            VALUES (${randomUUID()}::uuid, ${group}, ${type.replaceAll('\0', '')}, ${aggregateId.replaceAll('\0', '')},
                    ${envelope}::jsonb, ${error.replaceAll('\0', '')}, ${attempts}::int)`;
        });
        break;
      } catch (writeError) {
        if (stopping.signal.aborted) throw writeError;
        if (isDataError(writeError) && !envelope.startsWith('{"unstorable"')) {
          envelope = JSON.stringify({ unstorable: envelope.replaceAll('\\u0000', '') });
          continue;
        }
        const retryInMs = backoffMs(attempt, RETRY_BASE_MS, OUTAGE_RETRY_CAP_MS);
        log.error({ err: writeError, eventId: raw.id, retryInMs }, 'could not write dead letter; retrying');
        await sleep(retryInMs, stopping.signal);
      }
    }
    await bus.deadLetter(group, raw, error).catch((copyError: unknown) => {
      // The table row is the record; the bus copy is for operators' tooling.
      log.warn({ err: copyError, eventId: raw.id }, 'dead letter recorded, but not copied to the bus');
    });
  }

  const subscription = bus.subscribe(group, options.types, (batch) => {
    if (stopping.signal.aborted) {
      return Promise.reject(
        new Error(`Consumer group "${group}" is stopped; ${batch.length} event(s) not handled`),
      );
    }
    const task = consume(batch);
    inFlight.add(task);
    return task.finally(() => inFlight.delete(task));
  });

  const retainInboxSeconds = (options.retainInboxMs ?? 30 * 24 * 60 * 60 * 1000) / 1000;
  async function prune(): Promise<void> {
    await transaction(async (tx) => {
      await tx.$executeRaw`
        DELETE FROM inbox_events
         WHERE consumer = ${group}
           AND processed_at < now() - make_interval(secs => ${retainInboxSeconds}::double precision)`;
    });
  }
  const pruning = setInterval(() => {
    prune().catch((error: unknown) => log.warn({ err: error }, 'inbox prune failed; will retry'));
  }, PRUNE_INTERVAL_MS);
  pruning.unref();

  return {
    ready: subscription.ready,
    prune,
    async stop() {
      clearInterval(pruning);
      stopping.abort();
      await subscription.unsubscribe();
      await Promise.allSettled(inFlight);
    },
  };
}

/** A handler threw while handling `eventId` (as opposed to the inbox insert or the commit failing). */
class HandlerFailure extends Error {
  constructor(
    readonly eventId: string,
    override readonly cause: unknown,
  ) {
    super(`Handler failed for event ${eventId}: ${errorMessage(cause)}`);
  }
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
