import { z } from 'zod';

const sellerStatus = z.enum(['PENDING', 'ACTIVE', 'SUSPENDED']);

/** A price as stored: integer minor units (cents for USD) and an ISO 4217 code. */
const price = z.object({
  amountMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currencyCode: z.string().regex(/^[A-Z]{3}$/),
});

/** The full listing state of a product after a change, so a consumer can simply overwrite its copy. */
const productSnapshot = z.object({
  productId: z.string(),
  sellerId: z.string(),
  categoryId: z.string(),
  title: z.string(),
  price,
  stock: z.number().int().nonnegative(),
});

/**
 * Every event type that crosses a subgraph boundary: its current version, its payload schema, and the
 * topic of its aggregate family (`<producer>.<aggregate>`; the Kafka transport's topic name, partition
 * key = aggregateId). Producers and consumers both validate against this table, so a payload change is a
 * type error on both sides. Breaking changes bump `version` (and keep the old schema until no producer
 * emits it).
 */
export const eventCatalog = {
  'seller.created': {
    version: 1,
    topic: 'sellers.seller',
    schema: z.object({ sellerId: z.string(), ownerId: z.string(), name: z.string(), status: sellerStatus }),
  },
  'seller.status_changed': {
    version: 1,
    topic: 'sellers.seller',
    schema: z.object({
      sellerId: z.string(),
      ownerId: z.string(),
      status: sellerStatus,
      previousStatus: sellerStatus,
    }),
  },
  'user.registered': {
    version: 1,
    topic: 'users.user',
    schema: z.object({ userId: z.string(), email: z.string(), name: z.string() }),
  },
  'product.created': {
    version: 1,
    topic: 'catalog.product',
    schema: productSnapshot,
  },
  'product.updated': {
    version: 1,
    topic: 'catalog.product',
    schema: productSnapshot,
  },
  'product.stock_changed': {
    version: 1,
    topic: 'catalog.product',
    schema: z.object({
      productId: z.string(),
      sellerId: z.string(),
      stock: z.number().int().nonnegative(),
      previousStock: z.number().int().nonnegative(),
    }),
  },
} as const;

export type EventType = keyof typeof eventCatalog;

export type EventData<T extends EventType> = z.infer<(typeof eventCatalog)[T]['schema']>;

/** The topic (aggregate family) of an event type: `sellers.seller`, `catalog.product`, … */
export type EventTopic = (typeof eventCatalog)[EventType]['topic'];

/** What travels on the bus: the same shape in the outbox, in memory and in Kafka message values. */
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

export function topicOf(type: EventType): EventTopic {
  return eventCatalog[type].topic;
}
