import type { Logger } from '@mp/kit';
import { Redis } from 'ioredis';
import type { RealtimeListener, RealtimeMessage, RealtimePubSub } from './pubsub.ts';

export interface RedisPubSubOptions {
  /** Prepended to every channel, so environments can share one Redis. */
  prefix?: string;
  /** How long start-up waits for Redis before failing. */
  connectTimeoutMs?: number;
}

function isMessage(value: unknown): value is RealtimeMessage {
  const v = value as Partial<RealtimeMessage> | null;
  return typeof v?.eventId === 'string' && typeof v.type === 'string' && typeof v.occurredAt === 'string';
}

/**
 * Pub/sub over Redis (ioredis): every gateway replica subscribes to the channels its own clients follow
 * (one SUBSCRIBE per channel however many subscribers share it) and hears every replica's publishes.
 * Publishing never queues while Redis is away: a change published then is dropped (and logged), as a
 * realtime notification that arrives late is worth less than an event bus that keeps flowing.
 */
export async function createRedisPubSub(
  url: string,
  log: Logger,
  options: RedisPubSubOptions = {},
): Promise<RealtimePubSub> {
  const prefix = options.prefix ?? 'mp:realtime:';
  const connectTimeout = options.connectTimeoutMs ?? 10_000;
  const common = { lazyConnect: true, connectTimeout, maxRetriesPerRequest: 2 };
  const publisher = new Redis(url, { ...common, enableOfflineQueue: false, connectionName: 'realtime-pub' });
  const subscriber = new Redis(url, { ...common, connectionName: 'realtime-sub' });
  for (const [role, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: Error) => log.warn({ err: error, role }, 'realtime Redis connection error'));
  }
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.disconnect();
    subscriber.disconnect();
    throw new Error(`cannot reach Redis at REDIS_URL=${url}: ${(error as Error).message}`);
  }

  /** Local listeners per channel, and the SUBSCRIBE that made the channel live. */
  const channels = new Map<string, { listeners: Set<RealtimeListener>; live: Promise<unknown> }>();
  subscriber.on('message', (redisChannel: string, raw: string) => {
    const channel = channels.get(redisChannel.slice(prefix.length));
    if (!channel) return;
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      message = undefined;
    }
    if (!isMessage(message)) {
      log.warn({ channel: redisChannel }, 'ignored a malformed realtime message');
      return;
    }
    for (const listener of channel.listeners) listener(message);
  });

  return {
    async publish(channel, message) {
      try {
        await publisher.publish(prefix + channel, JSON.stringify(message));
      } catch (error) {
        log.warn(
          { err: error, channel, event: message.type },
          'realtime change not published (Redis unavailable)',
        );
      }
    },
    async subscribe(name, listener) {
      let channel = channels.get(name);
      if (!channel) {
        const created = { listeners: new Set<RealtimeListener>(), live: Promise.resolve<unknown>(undefined) };
        created.live = subscriber.subscribe(prefix + name).catch((error: unknown) => {
          if (channels.get(name) === created) channels.delete(name); // the next subscriber tries again
          throw error;
        });
        channels.set(name, created);
        channel = created;
      }
      channel.listeners.add(listener);
      await channel.live;
      const joined = channel;
      return async () => {
        joined.listeners.delete(listener);
        if (joined.listeners.size > 0 || channels.get(name) !== joined) return;
        channels.delete(name);
        await subscriber.unsubscribe(prefix + name).catch(() => undefined); // gone with the connection anyway
      };
    },
    async close() {
      channels.clear();
      // disconnect, not quit: nothing queued is worth waiting for, and quit waits out reconnects when
      // Redis is gone.
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
