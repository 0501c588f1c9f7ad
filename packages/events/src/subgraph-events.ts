import type pg from 'pg';
import type { Logger } from 'pino';
import type { Consumer } from './consumer.ts';
import type { EventBus } from './event-bus.ts';
import { startOutboxRelay } from './outbox-relay.ts';

export interface SubgraphEvents {
  /** Resolves when every consumer receives events. */
  ready: Promise<void>;
  /** Stops in the safe order: the relay first (no new publishes), then the consumers. */
  stop(): Promise<void>;
}

/**
 * A subgraph's part in the event backbone: the outbox relay of its database (when it produces events)
 * and its consumers (started by the caller, who knows their handlers), stopped together.
 */
export function startSubgraphEvents(options: {
  bus: EventBus;
  /** The producing subgraph; used in logs. */
  source: string;
  log: Logger;
  /** The pool of the subgraph's database when it has an outbox to relay (`database.backgroundPool()`). */
  outboxPool?: pg.Pool;
  consumers?: readonly Consumer[];
}): SubgraphEvents {
  const { bus, source, log } = options;
  const relay = options.outboxPool && startOutboxRelay({ pool: options.outboxPool, bus, source, log });
  const consumers = options.consumers ?? [];
  return {
    ready: Promise.all(consumers.map((c) => c.ready)).then(() => undefined),
    async stop() {
      await relay?.stop();
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
