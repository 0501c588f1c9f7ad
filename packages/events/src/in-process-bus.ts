import { pino, type Logger } from 'pino';
import { backoffMs, sleep } from './backoff.ts';
import type { EventEnvelope, EventType } from './catalog.ts';
import type { DeliverBatch, EventBus, Subscription } from './event-bus.ts';
import { LaneQueue } from './lanes.ts';

export interface InProcessBusOptions {
  log?: Logger;
  /** Lanes (parallel batches) per group; each usually holds a database transaction. Default 4. */
  concurrency?: number;
  /** Most events in one delivered batch (one consumer transaction); default 100. */
  maxBatch?: number;
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

interface Delivery {
  event: EventEnvelope;
  settle: (error?: Error) => void;
}

interface GroupSubscription {
  group: string;
  types: ReadonlySet<EventType>;
  queue: LaneQueue<Delivery>;
  /** Aborted by unsubscribe or close: a failing delivery stops being retried and fails its publish. */
  ending: AbortController;
}

/** Waits for `promise`, or until `signal` aborts (then `false`); removes its listener either way. */
async function unlessAborted(promise: Promise<unknown>, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) {
    await promise;
    return true;
  }
  if (signal.aborted) return false;
  let onAbort = (): void => undefined;
  const abort = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise.then(() => true as const), abort]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

const RETRY_BASE_MS = 20;
const RETRY_CAP_MS = 1_000;

/**
 * The all-in-one transport: memory queues per group, in lanes by aggregateId (see lanes.ts), delivered
 * in batches. It keeps nothing durable,
 * so `publish` resolves only when every subscribed group has handled its copy: the outbox relay marks
 * a row sent only then, and a process that dies mid-delivery publishes the row again on restart (the
 * consumers' inbox absorbs the repeat). A group that unsubscribed is still owed the events of its
 * types: publishing one is refused until the group subscribes again, so the outbox keeps it (this covers
 * a shutdown where one subgraph's consumer stops before another's relay). An event of a type no group
 * ever subscribed to in this process is dropped. Shut down in this order: relays, consumers, `close()`.
 */
export function createInProcessBus(options: InProcessBusOptions = {}): InProcessBus {
  const log = (options.log ?? pino({ level: 'silent' })).child({ component: 'in-process-bus' });
  const concurrency = options.concurrency ?? 4;
  const maxBatch = options.maxBatch ?? 100;
  const groups = new Map<string, GroupSubscription>();
  let closed = false;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  if (!options.holdUntilOpened) open();

  /** Delivers until `deliver` resolves; a rejection is retried with backoff while the group is live. */
  async function deliverWithRetry(
    subscription: GroupSubscription,
    deliver: DeliverBatch,
    batch: Delivery[],
  ): Promise<void> {
    const events = batch.map((d) => d.event);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await deliver(events);
        for (const { settle } of batch) settle();
        return;
      } catch (error) {
        const retryInMs = backoffMs(attempt, RETRY_BASE_MS, RETRY_CAP_MS);
        log.warn(
          { err: error, group: subscription.group, eventIds: events.map((e) => e.id), attempt, retryInMs },
          'delivery rejected; redelivering',
        );
        if (subscription.ending.signal.aborted) {
          const failure = new Error(`Group "${subscription.group}" ended before its batch was handled`);
          for (const { settle } of batch) settle(failure);
          return;
        }
        await sleep(retryInMs, subscription.ending.signal);
      }
    }
  }

  async function end(subscription: GroupSubscription, reason: string): Promise<void> {
    // The entry stays, marked ended: publishes of its types are refused until the group is back.
    subscription.ending.abort();
    for (const { event, settle } of subscription.queue.takePending()) {
      settle(new Error(`Event ${event.id} not delivered to group "${subscription.group}": ${reason}`));
    }
    await subscription.queue.idle();
  }

  return {
    open,

    async publish(events, publishOptions = {}) {
      const { signal } = publishOptions;
      const abandoned = new Error(`Publish of ${events.length} event(s) abandoned: the relay is stopping`);
      if (!(await unlessAborted(opened, signal))) throw abandoned;
      if (closed)
        throw new Error(`The in-process event bus is closed; ${events.length} event(s) not published`);
      const handled: Promise<void>[] = [];
      let refused: Error | undefined;
      for (const event of events) {
        for (const subscription of groups.values()) {
          if (!subscription.types.has(event.type)) continue;
          if (subscription.ending.signal.aborted) {
            refused ??= new Error(`Group "${subscription.group}" is stopped; event ${event.id} kept for it`);
            continue;
          }
          // Each group gets its own copy, so no handler sees another's mutations.
          const copy = structuredClone(event);
          handled.push(
            new Promise<void>((resolve, reject) => {
              subscription.queue.push({
                event: copy,
                settle: (error) => (error ? reject(error) : resolve()),
              });
            }),
          );
        }
      }
      const outcomes = Promise.allSettled(handled);
      // On abort the deliveries go on; the rows stay unsent and are published again (the inbox skips repeats).
      if (!(await unlessAborted(outcomes, signal))) throw abandoned;
      const failed = (await outcomes).find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
      if (refused) throw refused;
    },

    subscribe(group, types, deliver): Subscription {
      if (closed) throw new Error(`The in-process event bus is closed; cannot subscribe group "${group}"`);
      if (groups.get(group)?.ending.signal.aborted === false) {
        throw new Error(
          `Group "${group}" already has a subscription on this bus; subscribe all its event types in one call`,
        );
      }
      const subscription: GroupSubscription = {
        group,
        types: new Set(types),
        ending: new AbortController(),
        queue: new LaneQueue<Delivery>({
          lanes: concurrency,
          maxBatch,
          keyOf: (delivery) => delivery.event.aggregateId,
          run: (batch) => deliverWithRetry(subscription, deliver, batch),
          onError: (error, batch) => {
            const failure = error instanceof Error ? error : new Error(String(error));
            for (const { settle } of batch) settle(failure);
          },
        }),
      };
      groups.set(group, subscription);
      return {
        ready: Promise.resolve(),
        unsubscribe: () => end(subscription, 'the group unsubscribed'),
      };
    },

    async deadLetter() {
      // Nothing to copy to: the consumer's dead_letter_events table is the record in all-in-one mode.
    },

    async close() {
      closed = true;
      open(); // held publishes now fail with "closed" instead of waiting forever
      const live = [...groups.values()].filter((s) => !s.ending.signal.aborted);
      await Promise.all(live.map((s) => end(s, 'the bus closed')));
    },
  };
}
