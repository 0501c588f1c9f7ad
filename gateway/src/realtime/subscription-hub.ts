import type { Identity } from '@mp/auth';
import type { Logger } from '@mp/kit';
import { GraphQLError, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { RealtimeMessage, RealtimePubSub } from './pubsub.ts';
import type { PreparedSubscription } from './subscription-query.ts';
import type { SubscriberStream } from './subscriber-stream.ts';

export interface Subscriber {
  token: string | null;
  identity: Identity | null;
}

/** Runs a query through the gateway's own pipeline, as the subscriber. */
export type ResolvePayload = (
  query: string,
  variables: Readonly<Record<string, unknown>>,
  subscriber: Subscriber,
) => Promise<FormattedExecutionResult>;

export interface SubscriptionHubOptions {
  pubsub: RealtimePubSub;
  resolve: ResolvePayload;
  /** Rejects when the token is no longer valid (expired since the connection was opened). */
  checkToken: (token: string) => Promise<unknown>;
  /** Most feed items a group holds while it resolves earlier ones. */
  maxPendingItems: number;
  log: Logger;
}

interface Sink {
  stream: SubscriberStream;
  /** The last payload sent (without extensions), to skip an unchanged state. */
  lastSent: string | null;
  /** Set until the first payload: resolves with the refusal, or null once the subscriber is admitted. */
  admit?: (refusal: readonly GraphQLFormattedError[] | null) => void;
}

const FEED_MEMORY = 1_000;

/** The subscriber may no longer see this (an expired token, lost rights): the subscription ends. */
const isAuthError = (result: FormattedExecutionResult) =>
  result.errors?.some((e) => ['UNAUTHENTICATED', 'FORBIDDEN'].includes(String(e.extensions?.code))) ?? false;

/**
 * Subscribers that would resolve exactly the same payloads (same token, operation and arguments) share
 * one group: one channel subscription and one resolution per change, however many sockets (a user's
 * tabs, a wall of tracking screens) are open. Each group handles its changes one at a time, in the
 * order they arrive, so payloads never overtake each other.
 */
class Group {
  readonly sinks = new Set<Sink>();
  ready: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => Promise<void>) | null = null;
  private running = false;
  /** state: resolve again once the current resolution ends; the message is the latest that asked. */
  private dirty = false;
  private latest: RealtimeMessage | null = null;
  /** feed: items waiting, and the ones already sent (the bus delivers at least once). */
  private readonly items: RealtimeMessage[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly hub: SubscriptionHub,
    readonly key: string,
    readonly prepared: PreparedSubscription,
    readonly subscriber: Subscriber,
  ) {}

  listen(channel: string, pubsub: RealtimePubSub): void {
    this.ready = pubsub
      .subscribe(channel, (message) => this.notify(message))
      .then((unsubscribe) => {
        this.unsubscribe = unsubscribe;
        void this.closeIfIdle();
      });
  }

  notify(message: RealtimeMessage | null): void {
    const { field, args } = this.prepared;
    if (field.kind === 'state') {
      this.dirty = true;
      this.latest = message ?? this.latest;
    } else {
      const key = message && field.keyOf(args, message);
      if (!key || this.seen.has(key)) return;
      this.seen.add(key);
      if (this.seen.size > FEED_MEMORY) this.seen.delete(this.seen.values().next().value!);
      if (this.items.length >= this.hub.options.maxPendingItems) {
        this.failAll(
          `more than ${this.hub.options.maxPendingItems} new items arrived at once; subscribe again`,
        );
        return;
      }
      this.items.push(message);
    }
    void this.pump();
  }

  /** Leaves the channel once the last subscriber has left (a new one may have joined meanwhile). */
  async closeIfIdle(): Promise<void> {
    if (this.sinks.size > 0 || !this.unsubscribe) return;
    this.hub.forget(this);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.sinks.size > 0) {
        const message = this.nextWork();
        if (message === undefined) break;
        const id = this.prepared.field.keyOf(this.prepared.args, message);
        if (id) this.deliver(await this.resolve(id), message);
      }
    } finally {
      this.running = false;
    }
  }

  /** The message to resolve for next; undefined when there is nothing to do. */
  private nextWork(): RealtimeMessage | null | undefined {
    if (this.prepared.field.kind === 'feed') return this.items.shift();
    if (!this.dirty) return undefined;
    this.dirty = false;
    return this.latest;
  }

  private async resolve(id: string): Promise<FormattedExecutionResult> {
    const { token } = this.subscriber;
    if (token) {
      try {
        await this.hub.options.checkToken(token);
      } catch {
        return {
          errors: [
            {
              message: 'Your access token expired: connect again with a fresh token to keep following this',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ],
        };
      }
    }
    const { query, variables, keyVariable } = this.prepared;
    try {
      return await this.hub.options.resolve(query, { ...variables, [keyVariable]: id }, this.subscriber);
    } catch (error) {
      this.hub.options.log.error({ err: error, field: this.prepared.fieldName }, 'realtime payload failed');
      return {
        errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
      };
    }
  }

  private deliver(result: FormattedExecutionResult, message: RealtimeMessage | null): void {
    const { responseKey, field, fieldName } = this.prepared;
    const refused = result.data?.[responseKey] == null;
    if (refused && field.kind === 'feed' && !isAuthError(result)) {
      // One item that cannot be shown (gone meanwhile, a subgraph failing) does not end the feed.
      this.hub.options.log.warn({ field: fieldName, errors: result.errors }, 'realtime feed item skipped');
      return;
    }
    const refusal: readonly GraphQLFormattedError[] = result.errors?.length
      ? result.errors
      : [
          {
            message: `Nothing to follow for ${fieldName} here: it does not exist or is not yours`,
            extensions: { code: 'NOT_FOUND' },
          },
        ];
    const fingerprint = JSON.stringify(result);
    const payload: FormattedExecutionResult = {
      ...result,
      extensions: {
        ...result.extensions,
        realtime: { event: message?.type ?? null, occurredAt: message?.occurredAt ?? null },
      },
    };
    for (const sink of [...this.sinks]) {
      if (sink.admit) {
        const admit = sink.admit;
        delete sink.admit;
        if (refused) {
          this.sinks.delete(sink);
          admit(refusal);
          sink.stream.end();
          continue;
        }
        admit(null);
      }
      if (refused) {
        // Gone, or no longer yours (an expired token): say why once, then end the subscription.
        sink.stream.push({ ...payload, errors: refusal });
        sink.stream.end();
        continue;
      }
      if (field.kind === 'state' && sink.lastSent === fingerprint) continue;
      sink.lastSent = fingerprint;
      sink.stream.push(payload);
    }
  }

  private failAll(reason: string): void {
    for (const sink of this.sinks) sink.stream.fail(new Error(reason));
  }
}

/** Every live subscription of one gateway, grouped, with their channel subscriptions. */
export class SubscriptionHub {
  private readonly groups = new Map<string, Group>();

  constructor(readonly options: SubscriptionHubOptions) {}

  /**
   * Adds a subscriber. State subscriptions are authorized by their first payload, resolved as the
   * subscriber (someone else's order is NOT_FOUND there, as over HTTP); feeds by their channel, which is
   * always the caller's own. Resolves with the refusal, or null once the subscriber is in.
   */
  async join(
    prepared: PreparedSubscription,
    subscriber: Subscriber,
    stream: SubscriberStream,
  ): Promise<readonly GraphQLFormattedError[] | null> {
    const channel = prepared.field.channel(prepared.args, subscriber.identity);
    if (channel instanceof GraphQLError) return [channel.toJSON()];
    const key = [
      subscriber.token ?? '',
      prepared.query,
      JSON.stringify(prepared.variables),
      JSON.stringify(prepared.args),
    ].join('\n');
    let group = this.groups.get(key);
    if (!group) {
      group = new Group(this, key, prepared, subscriber);
      this.groups.set(key, group);
      group.listen(channel, this.options.pubsub);
    }
    // A state subscriber waits to be admitted by its first payload. `admit` is in place before the sink
    // is reachable, so no resolution can reach it unadmitted.
    const sink: Sink = { stream, lastSent: null };
    const admitted =
      prepared.field.kind === 'state'
        ? new Promise<readonly GraphQLFormattedError[] | null>((resolve) => {
            sink.admit = resolve;
          })
        : null;
    const joined = group;
    joined.sinks.add(sink);
    stream.onEnd(() => {
      joined.sinks.delete(sink);
      // Ended before its first payload (socket closed, shutdown): let the subscriber's setup finish;
      // graphql-ws then finds the stream done and completes it.
      const admit = sink.admit;
      delete sink.admit;
      admit?.(null);
      void joined.closeIfIdle();
    });
    try {
      await joined.ready;
    } catch (error) {
      this.options.log.error({ err: error, channel }, 'realtime channel subscription failed');
      this.forget(joined);
      delete sink.admit;
      stream.end();
      return [
        {
          message: 'Realtime updates are unavailable right now; try again shortly',
          extensions: { code: 'SERVICE_UNAVAILABLE' },
        },
      ];
    }
    if (!admitted) return null;
    joined.notify(null);
    return admitted;
  }

  forget(group: Group): void {
    if (this.groups.get(group.key) === group) this.groups.delete(group.key);
  }

  stats(): { groups: number; subscribers: number } {
    let subscribers = 0;
    for (const group of this.groups.values()) subscribers += group.sinks.size;
    return { groups: this.groups.size, subscribers };
  }

  /** Completes every subscription (graphql-ws sends `complete` for each) and leaves every channel. */
  async close(): Promise<void> {
    const groups = [...this.groups.values()];
    for (const group of groups) for (const sink of [...group.sinks]) sink.stream.end();
    await Promise.allSettled(groups.map((group) => group.ready.then(() => group.closeIfIdle())));
  }
}
