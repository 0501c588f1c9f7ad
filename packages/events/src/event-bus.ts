import type { EventEnvelope, EventType } from './catalog.ts';

/**
 * The transport seam. The in-process bus implements it today; a Kafka (kafkajs) transport will implement
 * the same contract (topic per event type or one topic, message key = aggregateId, consumer group =
 * `group`), and `test/event-bus.contract.ts` is the suite every implementation must pass.
 */
export interface EventBus {
  /** Resolves when the transport has accepted every event (in-process: queued; Kafka: acked). */
  publish(events: readonly EventEnvelope[]): Promise<void>;
  /**
   * Every group receives every event of the types it subscribed to; events of one aggregateId reach a
   * group in publish order, one at a time. Returns a function that unsubscribes.
   */
  subscribe(
    group: string,
    types: readonly EventType[],
    deliver: (event: EventEnvelope) => Promise<void>,
  ): () => void;
  close(): Promise<void>;
}
