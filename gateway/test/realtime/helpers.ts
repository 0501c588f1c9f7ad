import { readFileSync } from 'node:fs';
import type { Logger } from '@mp/kit';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { pino } from 'pino';
import type { RealtimeMessage, RealtimePubSub } from '../../src/realtime/pubsub.ts';

/** The committed client-facing schema (subscription fields included), as the gateway serves it. */
export function apiSchema(): GraphQLSchema {
  return buildSchema(readFileSync(new URL('../../../schema/api.graphql', import.meta.url), 'utf8'));
}

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose entries (debug and up) the test can read back. */
export function capturingLogger(): { log: Logger; entries: LogEntry[]; messages: () => string[] } {
  const entries: LogEntry[] = [];
  const log = pino(
    { level: 'debug' },
    { write: (line: string) => void entries.push(JSON.parse(line) as LogEntry) },
  );
  return { log, entries, messages: () => entries.map((e) => e.msg) };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let sequence = 0;

/** A realtime message as the relay publishes it; `key` only for feeds. */
export function realtimeMessage(type = 'order.confirmed', key?: string): RealtimeMessage {
  sequence += 1;
  return {
    eventId: `event-${sequence}`,
    type,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, sequence)).toISOString(),
    ...(key === undefined ? {} : { key }),
  };
}

/** Rejects with a readable error when `promise` has not settled within `ms` (instead of a test timeout). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Wraps a pub/sub to see what is subscribed: live listeners per channel, and how many times a listener
 * was handed a message. Behaviour is the wrapped pub/sub's.
 */
export function observedPubSub(inner: RealtimePubSub): RealtimePubSub & {
  listenerCount: (channel: string) => number;
  deliveries: () => number;
} {
  const live = new Map<string, number>();
  let deliveries = 0;
  return {
    publish: (channel, message) => inner.publish(channel, message),
    async subscribe(channel, listener) {
      const unsubscribe = await inner.subscribe(channel, (message) => {
        deliveries += 1;
        listener(message);
      });
      live.set(channel, (live.get(channel) ?? 0) + 1);
      let left = false;
      return async () => {
        if (!left) {
          left = true;
          live.set(channel, (live.get(channel) ?? 1) - 1);
        }
        await unsubscribe();
      };
    },
    close: () => inner.close(),
    listenerCount: (channel) => live.get(channel) ?? 0,
    deliveries: () => deliveries,
  };
}
