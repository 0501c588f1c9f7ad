import { z } from 'zod';
import { eventCatalog, isEventType, type EventEnvelope } from './catalog.ts';

/** Thrown by `enqueueEvent` when the payload does not match the catalog schema for its type. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
}

const envelopeShape = z.object({
  // Any 8-4-4-4-12 hex id: that is what a PostgreSQL uuid column accepts. Lowercased, as PostgreSQL
  // returns uuids, so ids compare equal whichever way a producer wrote them.
  id: z.guid().transform((id) => id.toLowerCase()),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  aggregateId: z.string().min(1),
  data: z.unknown(),
});

export type EnvelopeCheck = { ok: true; envelope: EventEnvelope } | { ok: false; error: string };

/**
 * Checks a received envelope against the catalog: known type, the catalog's version, payload valid.
 * Returns the envelope with its payload as parsed by the schema (unknown keys stripped). Transports call
 * this on whatever they deserialize; consumers call it again before a handler sees the event.
 */
export function parseEnvelope(raw: unknown): EnvelopeCheck {
  const shape = envelopeShape.safeParse(raw);
  if (!shape.success) {
    return { ok: false, error: `Invalid event envelope: ${z.prettifyError(shape.error)}` };
  }
  const { type, version, data } = shape.data;
  if (!isEventType(type)) {
    return { ok: false, error: `Unknown event type "${type}" (event ${shape.data.id})` };
  }
  const entry = eventCatalog[type];
  if (version !== entry.version) {
    return {
      ok: false,
      error: `Unsupported version ${version} of "${type}" (event ${shape.data.id}); this build reads version ${entry.version}`,
    };
  }
  const payload = entry.schema.safeParse(data);
  if (!payload.success) {
    return {
      ok: false,
      error: `Invalid "${type}" payload (event ${shape.data.id}): ${z.prettifyError(payload.error)}`,
    };
  }
  // The schema for `type` produced `payload.data`; TypeScript cannot correlate the two unions.
  return { ok: true, envelope: { ...shape.data, type, data: payload.data } as EventEnvelope };
}
