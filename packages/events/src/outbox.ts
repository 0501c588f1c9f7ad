import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { eventCatalog, isEventType, type EventData, type EventEnvelope, type EventType } from './catalog.ts';
import { EventValidationError } from './envelope.ts';
import type { SqlTx } from './sql-tx.ts';

/** enqueueEvent notifies this channel; PostgreSQL delivers it when the writing transaction commits. */
export const OUTBOX_CHANNEL = 'outbox_events';

/**
 * Writes an event to the outbox. Call it inside the same `prisma.$transaction` as the state change, after
 * the statement that changes (and so locks) the aggregate's row: the event is then published if and only
 * if the change commits, and events of one aggregate get outbox sequence numbers in commit order.
 *
 * Throws `EventValidationError` (and writes nothing) when `data` does not match the catalog schema.
 */
export async function enqueueEvent<T extends EventType>(
  tx: SqlTx,
  type: T,
  aggregateId: string,
  data: EventData<T>,
): Promise<EventEnvelope<T>> {
  // Callers in plain JavaScript or with casts can still pass a type the catalog does not know.
  if (!isEventType(type)) throw new EventValidationError(`Unknown event type "${String(type)}"`);
  if (typeof aggregateId !== 'string' || aggregateId.length === 0) {
    throw new EventValidationError(
      `Event "${type}" needs a non-empty aggregateId, got ${JSON.stringify(aggregateId)}`,
    );
  }
  const entry = eventCatalog[type];
  const parsed = entry.schema.safeParse(data);
  if (!parsed.success) {
    throw new EventValidationError(
      `Invalid "${type}" payload for aggregate ${aggregateId}: ${z.prettifyError(parsed.error)}`,
    );
  }
  const envelope: EventEnvelope<T> = {
    id: randomUUID(),
    type,
    version: entry.version,
    occurredAt: new Date().toISOString(),
    aggregateId,
    // `parsed.data` came from the schema of `type`; TypeScript cannot narrow the catalog by a generic key.
    data: parsed.data as EventData<T>,
  };
  // One statement: the row, and a notification the relays LISTEN for (sent when the transaction
  // commits, folded into one per transaction), so the event is published without waiting for a poll.
  await tx.$executeRaw`
    INSERT INTO outbox_events (id, type, version, aggregate_id, data, occurred_at)
    SELECT ${envelope.id}::uuid, ${envelope.type}, ${envelope.version}::int, ${envelope.aggregateId},
           ${JSON.stringify(envelope.data)}::jsonb, ${envelope.occurredAt}::timestamptz
      FROM (SELECT pg_notify(${OUTBOX_CHANNEL}, '')) AS wake_relays`;
  return envelope;
}
