import { randomUUID } from 'node:crypto';
import { startRedisServer, type TestRedis } from '@mp/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RealtimeMessage, RealtimePubSub } from '../../src/realtime/pubsub.ts';
import { createRedisPubSub } from '../../src/realtime/redis-pubsub.ts';
import { capturingLogger, realtimeMessage, within } from './helpers.ts';
import { describePubSubContract } from './pubsub.contract.ts';

const WAIT = { timeout: 5_000, interval: 10 };

let redis: TestRedis;
const opened: RealtimePubSub[] = [];
const clients: Redis[] = [];

/** A pub/sub on the shared test Redis; each test gets its own prefix, so no channel is shared by accident. */
async function open(url: string, prefix = `test:${randomUUID()}:`, log = capturingLogger().log) {
  const pubsub = await createRedisPubSub(url, log, { prefix, connectTimeoutMs: 2_000 });
  opened.push(pubsub);
  return pubsub;
}

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((pubsub) => pubsub.close()));
  await Promise.all(clients.splice(0).map((client) => client.quit().catch(() => undefined)));
});
afterAll(async () => {
  await redis?.stop();
});

describePubSubContract('redis', () => open(redis.url));

describe('Redis pub/sub', () => {
  it('delivers one publish to every gateway replica sharing the Redis, once each', async () => {
    const prefix = `test:${randomUUID()}:`;
    const [replicaA, replicaB] = [await open(redis.url, prefix), await open(redis.url, prefix)];
    const received = { a: [] as RealtimeMessage[], b: [] as RealtimeMessage[] };
    await replicaA.subscribe('order:o1', (message) => void received.a.push(message));
    await replicaB.subscribe('order:o1', (message) => void received.b.push(message));

    const messages = [realtimeMessage(), realtimeMessage()];
    for (const message of messages) await replicaA.publish('order:o1', message);
    await vi.waitFor(() => expect(received).toEqual({ a: messages, b: messages }), WAIT);
  });

  it('keeps environments with different prefixes apart on one Redis', async () => {
    const staging = await open(redis.url, `staging:${randomUUID()}:`);
    const production = await open(redis.url, `production:${randomUUID()}:`);
    const heard: RealtimeMessage[] = [];
    await production.subscribe('order:o1', (message) => void heard.push(message));

    await staging.publish('order:o1', realtimeMessage());
    const own = realtimeMessage();
    await production.publish('order:o1', own);
    await vi.waitFor(() => expect(heard).toEqual([own]), WAIT);
  });

  it('ignores (and logs) a malformed message published raw to the prefixed channel', async () => {
    const prefix = `test:${randomUUID()}:`;
    const { log, messages } = capturingLogger();
    const pubsub = await open(redis.url, prefix, log);
    const received: RealtimeMessage[] = [];
    await pubsub.subscribe('order:o1', (message) => void received.push(message));

    const raw = new Redis(redis.url);
    clients.push(raw);
    const malformed = ['not json', 'null', '42', JSON.stringify({ eventId: 'e1', type: 'order.placed' })];
    for (const payload of malformed) await raw.publish(`${prefix}order:o1`, payload);
    // Published after the malformed ones (Redis keeps the order): once it arrived, they were handled.
    const valid = realtimeMessage();
    await pubsub.publish('order:o1', valid);

    await vi.waitFor(() => expect(received).toEqual([valid]), WAIT);
    expect(messages().filter((m) => m === 'ignored a malformed realtime message')).toHaveLength(
      malformed.length,
    );
  });

  it('drops and logs a publish while Redis is down, promptly and without throwing', async () => {
    const own = await startRedisServer();
    try {
      const { log, entries } = capturingLogger();
      const pubsub = await open(own.url, undefined, log);
      await pubsub.subscribe('order:o1', () => undefined);
      await own.stop();

      const message = realtimeMessage('payment.captured');
      await expect(within(pubsub.publish('order:o1', message), 3_000, 'publish')).resolves.toBeUndefined();
      expect(entries).toContainEqual(
        expect.objectContaining({
          msg: 'realtime change not published (Redis unavailable)',
          channel: 'order:o1',
          event: 'payment.captured',
        }),
      );
      await within(pubsub.close(), 3_000, 'close');
    } finally {
      await own.stop();
    }
  });

  it('refuses to start, naming the URL, when Redis cannot be reached', async () => {
    const gone = await startRedisServer();
    await gone.stop();
    await expect(
      createRedisPubSub(gone.url, capturingLogger().log, { connectTimeoutMs: 1_000 }),
    ).rejects.toThrow(`cannot reach Redis at REDIS_URL=${gone.url}`);
  });
});
