import type { EventEnvelope, EventType } from './catalog.ts';

/**
 * The transport seam, implemented by the in-process bus (all-in-one mode) and the Kafka bus (kafkajs).
 * `test/event-bus.contract.ts` is the suite every implementation passes.
 *
 * Delivery is at-least-once: `deliver` may see an event again (after a crash, a rebalance, or a
 * relay retry), so the consumer deduplicates (`startConsumer` does, with its inbox table).
 */
export interface EventBus {
  /**
   * Resolves once the transport is responsible for the events: Kafka acknowledged them (acks = all);
   * the in-process bus, which keeps nothing durable, once every subscribed group's `deliver` resolved.
   * Rejects otherwise, and the outbox relay keeps the rows to publish them again. `signal` (the relay
   * stopping) makes a publish that is still waiting reject at once.
   */
  publish(events: readonly EventEnvelope[], options?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Every group receives every event of the types it subscribed to, in batches (arrays in publish
   * order). Events of one aggregateId reach a group in publish order and never in two batches at once;
   * different aggregates are delivered in parallel batches. When `deliver` rejects, the same batch is
   * delivered again (with backoff) before any later event of its aggregates. One subscription per
   * group per bus.
   */
  subscribe(group: string, types: readonly EventType[], deliver: DeliverBatch): Subscription;
  /**
   * Copies an event a consumer gave up on where operators look for them (Kafka: the topic
   * `deadletter.<group>`; in-process: nowhere, the consumer's dead-letter table is the only record).
   */
  deadLetter(group: string, envelope: unknown, error: string): Promise<void>;
  /** Ends every subscription (see `unsubscribe`), then refuses publishes. */
  close(): Promise<void>;
}

/** Handles a batch; resolving acknowledges every event in it. */
export type DeliverBatch = (events: readonly EventEnvelope[]) => Promise<void>;

export interface Subscription {
  /** Resolves when the group receives events (Kafka: joined the group and got its partitions). */
  ready: Promise<void>;
  /**
   * Graceful: stops taking new events, waits for the ones being delivered, keeps the position of what
   * was not delivered (Kafka: commits only delivered offsets; in-process: rejects their publish).
   */
  unsubscribe(): Promise<void>;
}
