import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer as KafkaConsumer,
  type EachBatchPayload,
  type KafkaMessage,
  type LogEntry,
  type Message,
  type Producer,
} from 'kafkajs';
import { pino, type Logger } from 'pino';
import { backoffMs, sleep } from './backoff.ts';
import { isEventType, topicOf, type EventEnvelope, type EventType } from './catalog.ts';
import type { DeliverBatch, EventBus, Subscription } from './event-bus.ts';
import { processInLanes } from './lanes.ts';

export interface KafkaBusOptions {
  brokers: readonly string[];
  /** Names this process to the brokers (logs, quotas): e.g. the subgraph or `all-in-one`. */
  clientId: string;
  log?: Logger;
  /** Prepended to every topic name: separates environments (or test runs) sharing one cluster. */
  topicPrefix?: string;
  /** How long a broker request may take before it counts as failed; default 10 s. */
  requestTimeoutMs?: number;
  /** A consumer that stops heartbeating this long loses its partitions; default 10 s. */
  sessionTimeoutMs?: number;
  /** Lanes (parallel batches, by message key) within one partition's fetched batch; default 2. */
  concurrency?: number;
  /** Most events in one delivered batch (one consumer transaction); default 100. */
  maxBatch?: number;
  /** Partitions of one group handled in parallel; default 4 (× 2 lanes = 8 transactions at once, within a 10-connection pool). */
  partitionsConsumedConcurrently?: number;
  /**
   * How long a fetch waits for new messages before returning empty; default 50 ms. A broker answers as
   * soon as data arrives, but the mock cluster in tests waits out the full time, so it bounds latency there.
   */
  fetchMaxWaitMs?: number;
}

const RETRY_BASE_MS = 20;
const RETRY_CAP_MS = 1_000;
const UNROUTED_TOPIC = 'events.unrouted';

/**
 * The production transport (kafkajs). Topic per aggregate family (`catalog.product`, from the event
 * catalog), message key = aggregateId so one aggregate stays in one partition and in order, headers
 * carry type, version and id. A subscription is a Kafka consumer group named after the consuming
 * subgraph, reading from the earliest offset when the group is new. Offsets are committed only for
 * events whose `deliver` resolved, and only up to the first one that did not: a consumer killed
 * mid-batch gets the rest again, which the inbox deduplicates.
 */
export function createKafkaBus(options: KafkaBusOptions): EventBus {
  const log = (options.log ?? pino({ level: 'silent' })).child({ component: 'kafka-bus' });
  const prefix = options.topicPrefix ?? '';
  const requestTimeout = options.requestTimeoutMs ?? 10_000;
  const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 2;
  const maxBatch = options.maxBatch ?? 100;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    requestTimeout,
    connectionTimeout: Math.min(requestTimeout, 3_000),
    retry: { initialRetryTime: 100, maxRetryTime: 2_000, retries: 3 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => forward(log, entry),
  });
  const subscriptions = new Map<string, Subscription>();
  let producer: Promise<Producer> | undefined;
  let closed = false;

  /** One producer per bus, connected on first use; a failed connect is retried by the next publish. */
  function connectedProducer(): Promise<Producer> {
    producer ??= (async () => {
      const created = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        allowAutoTopicCreation: true,
        // One request at a time: a retried request can then never overtake a later one.
        maxInFlightRequests: 1,
      });
      await created.connect();
      return created;
    })().catch((error: unknown) => {
      producer = undefined;
      throw error;
    });
    return producer;
  }

  const topicFor = (type: string): string => prefix + (isEventType(type) ? topicOf(type) : UNROUTED_TOPIC);

  return {
    async publish(events) {
      if (closed) throw new Error(`The Kafka event bus is closed; ${events.length} event(s) not published`);
      if (events.length === 0) return;
      const byTopic = new Map<string, Message[]>();
      for (const event of events) {
        const topic = topicFor(event.type);
        if (!isEventType(event.type)) {
          log.error(
            { eventId: event.id, type: event.type, topic },
            'unknown event type; sent to the unrouted topic',
          );
        }
        const messages = byTopic.get(topic) ?? [];
        messages.push(toMessage(event));
        byTopic.set(topic, messages);
      }
      const connected = await connectedProducer();
      await connected.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        acks: -1,
        timeout: requestTimeout,
      });
    },

    subscribe(group, types, deliver) {
      if (closed) throw new Error(`The Kafka event bus is closed; cannot subscribe group "${group}"`);
      if (subscriptions.has(group)) {
        // kafkajs' assigners expect every member of a group to subscribe to the same topics.
        throw new Error(
          `Group "${group}" already has a subscription on this bus; subscribe all its event types in one call`,
        );
      }
      const subscription = subscribeGroup({
        kafka,
        group,
        topics: [...new Set(types.map((t) => prefix + topicOf(t)))],
        wanted: new Set(types),
        deliver,
        sessionTimeout,
        concurrency,
        maxBatch,
        partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 4,
        fetchMaxWaitMs: options.fetchMaxWaitMs ?? 50,
        log: log.child({ group }),
        onEnd: () => subscriptions.delete(group),
      });
      subscriptions.set(group, subscription);
      return subscription;
    },

    async deadLetter(group, envelope, error) {
      if (closed)
        throw new Error(`The Kafka event bus is closed; dead letter for group "${group}" not copied`);
      const raw = (typeof envelope === 'object' && envelope !== null ? envelope : {}) as Record<
        string,
        unknown
      >;
      const connected = await connectedProducer();
      await connected.send({
        topic: `${prefix}deadletter.${group}`,
        acks: -1,
        timeout: requestTimeout,
        messages: [
          {
            key: typeof raw.aggregateId === 'string' ? raw.aggregateId : null,
            value: JSON.stringify({ envelope, error, group, failedAt: new Date().toISOString() }),
            headers: { 'event-type': String(raw.type), error: error.slice(0, 1_000) },
          },
        ],
      });
    },

    async close() {
      closed = true;
      const ended = await Promise.allSettled([...subscriptions.values()].map((s) => s.unsubscribe()));
      const connected = await producer?.catch(() => undefined);
      await connected?.disconnect();
      const failure = ended.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    },
  };
}

interface GroupOptions {
  kafka: Kafka;
  group: string;
  topics: string[];
  wanted: ReadonlySet<EventType>;
  deliver: DeliverBatch;
  sessionTimeout: number;
  concurrency: number;
  maxBatch: number;
  partitionsConsumedConcurrently: number;
  fetchMaxWaitMs: number;
  log: Logger;
  onEnd: () => void;
}

function subscribeGroup(options: GroupOptions): Subscription {
  const { group, log } = options;
  const ending = new AbortController();
  const consumer: KafkaConsumer = options.kafka.consumer({
    groupId: group,
    sessionTimeout: options.sessionTimeout,
    rebalanceTimeout: options.sessionTimeout * 2,
    heartbeatInterval: Math.max(100, Math.floor(options.sessionTimeout / 10)),
    maxWaitTimeInMs: options.fetchMaxWaitMs,
    allowAutoTopicCreation: true,
  });
  let joined!: () => void;
  let failed!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    joined = resolve;
    failed = reject;
  });
  ready.catch(() => undefined); // a caller that never awaits `ready` must not see an unhandled rejection
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    // kafkajs restarts after retriable crashes by itself; a non-retriable one leaves the group dead.
    if (payload.restart) return;
    log.error({ err: payload.error }, 'consumer crashed and will not restart');
    failed(payload.error);
  });
  const inFlight = new Set<Promise<void>>();

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    let rebalancing = false;
    const live = (): boolean => isRunning() && !isStale() && !rebalancing && !ending.signal.aborted;

    async function handle(messages: KafkaMessage[]): Promise<void> {
      const envelopes = messages
        .map((message) => decode(message, batch.topic, batch.partition))
        // Other types of the same aggregate family share the topic; they are simply not this group's.
        .filter((envelope) => !isEventType(envelope.type) || options.wanted.has(envelope.type));
      if (envelopes.length === 0) return;
      for (let attempt = 1; ; attempt += 1) {
        try {
          await options.deliver(envelopes);
          break;
        } catch (error) {
          if (!live()) throw error;
          const retryInMs = backoffMs(attempt, RETRY_BASE_MS, RETRY_CAP_MS);
          log.warn(
            { err: error, eventIds: envelopes.map((e) => e.id), attempt, retryInMs },
            'delivery rejected; redelivering',
          );
          await sleep(retryInMs);
        }
      }
      await heartbeat().catch((error: unknown) => {
        // A rebalance revokes partitions: stop here; the new owner continues from the committed offset.
        rebalancing = true;
        log.info(
          { err: error, topic: batch.topic, partition: batch.partition },
          'heartbeat failed; pausing batch',
        );
      });
    }

    const done = await processInLanes(batch.messages, {
      lanes: options.concurrency,
      maxBatch: options.maxBatch,
      keyOf: (message) => message.key?.toString() ?? '',
      handle,
      shouldContinue: live,
    });
    if (done === 0) return;
    const lastDone = (batch.messages[done - 1] as KafkaMessage).offset;
    resolveOffset(lastDone);
    try {
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(lastDone) + 1n).toString() },
      ]);
    } catch (error) {
      // The effects are committed; whoever reads this partition next gets them again and the inbox skips them.
      log.warn(
        { err: error, topic: batch.topic, partition: batch.partition, offset: lastDone },
        'offset commit failed',
      );
    }
  }

  const starting = (async () => {
    for (let attempt = 1; !ending.signal.aborted; attempt += 1) {
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: options.topics, fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
          eachBatch: async (payload) => {
            const batchDone = eachBatch(payload);
            inFlight.add(batchDone);
            try {
              await batchDone;
            } finally {
              inFlight.delete(batchDone);
            }
          },
        });
        return;
      } catch (error) {
        const retryInMs = backoffMs(attempt, 200, 5_000);
        log.warn({ err: error, attempt, retryInMs }, 'could not start the consumer; retrying');
        await consumer.disconnect().catch(() => undefined);
        await sleep(retryInMs, ending.signal);
      }
    }
  })();

  let ended: Promise<void> | undefined;
  return {
    ready,
    unsubscribe() {
      ended ??= (async () => {
        ending.abort(); // running batches stop at their next chunk
        await starting;
        // Pause, drain, commit, disconnect: kafkajs skips commits once it is stopping, so the batches in
        // flight finish (committing what they delivered) while the consumer is only paused.
        try {
          consumer.pause(options.topics.map((topic) => ({ topic })));
        } catch {
          // not running (it never started): nothing in flight to drain
        }
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        await consumer.disconnect();
        failed(new Error(`Group "${group}" unsubscribed before it joined`));
        options.onEnd();
      })();
      return ended;
    },
  };
}

function toMessage(event: EventEnvelope): Message {
  return {
    key: event.aggregateId,
    value: JSON.stringify(event),
    headers: { 'event-type': event.type, 'event-version': String(event.version), 'event-id': event.id },
  };
}

/**
 * The envelope in a message. A value that is not JSON still becomes an envelope-shaped object (with
 * the raw text as `data`), so the consumer can dead-letter it with its error instead of stalling.
 */
function decode(message: KafkaMessage, topic: string, partition: number): EventEnvelope {
  const text = message.value?.toString('utf8') ?? '';
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null) {
      // Checked by the consumer (`parseEnvelope`) before any handler sees it.
      return value as EventEnvelope;
    }
  } catch {
    // fall through
  }
  const header = (name: string): string | undefined => message.headers?.[name]?.toString();
  // Deliberately not a valid envelope: it carries what is known so the dead letter is useful.
  return {
    id: header('event-id') ?? `${topic}/${partition}/${message.offset}`,
    type: header('event-type') ?? 'unknown',
    version: Number(header('event-version') ?? 0),
    occurredAt: new Date(Number(message.timestamp)).toISOString(),
    aggregateId: message.key?.toString() ?? '',
    data: {
      undecodable: text.slice(0, 10_000),
      error: `message at ${topic}/${partition}/${message.offset} is not a JSON object`,
    },
  } as unknown as EventEnvelope;
}

function forward(log: Logger, entry: LogEntry): void {
  const { message, ...extra } = entry.log;
  const fields = { kafkajs: entry.namespace, ...extra };
  if (entry.level === logLevel.ERROR) log.error(fields, message);
  else if (entry.level === logLevel.WARN) log.warn(fields, message);
  else log.debug(fields, message);
}
