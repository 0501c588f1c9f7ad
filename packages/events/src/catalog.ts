import { z } from 'zod';

const sellerStatus = z.enum(['PENDING', 'ACTIVE', 'SUSPENDED']);

/**
 * Every event type that crosses a subgraph boundary, with its current version and payload schema.
 * Producers and consumers both validate against this table, so a payload change is a type error on
 * both sides. Breaking changes bump `version` (and keep the old schema until no producer emits it).
 */
export const eventCatalog = {
  'seller.created': {
    version: 1,
    schema: z.object({ sellerId: z.string(), ownerId: z.string(), name: z.string(), status: sellerStatus }),
  },
  'seller.status_changed': {
    version: 1,
    schema: z.object({
      sellerId: z.string(),
      ownerId: z.string(),
      status: sellerStatus,
      previousStatus: sellerStatus,
    }),
  },
  'user.registered': {
    version: 1,
    schema: z.object({ userId: z.string(), email: z.string(), name: z.string() }),
  },
} as const;

export type EventType = keyof typeof eventCatalog;

export type EventData<T extends EventType> = z.infer<(typeof eventCatalog)[T]['schema']>;

/** What travels on the bus: the same shape in the outbox, in memory and (later) in Kafka messages. */
export interface EventEnvelope<T extends EventType = EventType> {
  /** A uuid, unique per event; consumers deduplicate on it. */
  id: string;
  type: T;
  version: number;
  /** ISO 8601 timestamp with milliseconds, set when the producer enqueued the event. */
  occurredAt: string;
  /** The partition key: events of one aggregate are delivered in the order they were enqueued. */
  aggregateId: string;
  data: EventData<T>;
}

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}
