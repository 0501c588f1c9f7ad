import { pino, type Logger } from 'pino';
import type { EventEnvelope, EventType } from './catalog.ts';
import type { EventBus } from './event-bus.ts';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';

export interface InProcessBusOptions {
  log?: Logger;
  /** Aggregates delivered in parallel per subscription (each usually holds a database transaction). */
  concurrency?: number;
  /**
   * Hold every publish until `open()` is called. The all-in-one host opens the bus once every subgraph
   * has subscribed its consumers, so an outbox row relayed during start-up is not dropped for want of a
   * subscriber that is about to exist.
   */
  holdUntilOpened?: boolean;
}

export interface InProcessBus extends EventBus {
  /** Releases publishes held by `holdUntilOpened` (no-op otherwise). */
  open(): void;
}

interface Subscription {
  group: string;
  types: ReadonlySet<EventType>;
  queue: KeyedSerialQueue<EventEnvelope>;
}

/**
 * The all-in-one transport: memory queues, one per subscription, serial per aggregateId. Not durable: an
 * event accepted by `publish` lives only in memory until its handlers ran, and an event published while no
 * group subscribes to its type is dropped (the outbox already made it durable up to `publish`, and the
 * relay has marked it sent). Shut down in this order: relays, then `close()` (drains the queues), then
 * consumers.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): InProcessBus {
  const log = (options.log ?? pino({ level: 'silent' })).child({ component: 'in-process-bus' });
  const concurrency = options.concurrency ?? 4;
  const groups = new Map<string, Subscription[]>();
  let closed = false;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  if (!options.holdUntilOpened) open();

  function route(event: EventEnvelope): number {
    let delivered = 0;
    for (const subscriptions of groups.values()) {
      // Within a group the first subscription for the type takes the event, as one member of a Kafka
      // consumer group would; every group gets its own copy so no handler sees another's mutations.
      const target = subscriptions.find((s) => s.types.has(event.type));
      if (!target) continue;
      target.queue.push(event.aggregateId, structuredClone(event));
      delivered += 1;
    }
    return delivered;
  }

  return {
    open,

    async publish(events) {
      await opened;
      if (closed)
        throw new Error(`The in-process event bus is closed; ${events.length} event(s) not published`);
      for (const event of events) {
        if (route(event) === 0) {
          log.debug(
            { eventId: event.id, type: event.type },
            'no group subscribes to this event type; dropped',
          );
        }
      }
    },

    subscribe(group, types, deliver) {
      if (closed) throw new Error(`The in-process event bus is closed; cannot subscribe group "${group}"`);
      const subscription: Subscription = {
        group,
        types: new Set(types),
        queue: new KeyedSerialQueue<EventEnvelope>(concurrency, deliver, (error, event) =>
          log.error({ err: error, group, eventId: event.id, type: event.type }, 'event handler rejected'),
        ),
      };
      const members = groups.get(group) ?? [];
      members.push(subscription);
      groups.set(group, members);
      let active = true;
      return () => {
        if (!active) return;
        active = false;
        const remaining = (groups.get(group) ?? []).filter((s) => s !== subscription);
        if (remaining.length > 0) groups.set(group, remaining);
        else groups.delete(group);
        const dropped = subscription.queue.takePending();
        if (dropped.length > 0) {
          log.warn(
            { group, count: dropped.length, eventIds: dropped.map((e) => e.id) },
            'unsubscribed with undelivered events; the in-process bus drops them',
          );
        }
      };
    },

    async close() {
      closed = true;
      open(); // held publishes now fail with "closed" instead of waiting forever

      const subscriptions = [...groups.values()].flat();
      await Promise.all(subscriptions.map((s) => s.queue.idle()));
      groups.clear();
    },
  };
}
