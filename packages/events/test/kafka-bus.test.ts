import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKafkaBus, type EventBus, type KafkaBusOptions } from '../src/index.ts';
import { startKcatMockCluster, type KafkaMockCluster } from '../src/testing/index.ts';
import { describeEventBusContract } from './event-bus.contract.ts';
import { each, silentLog, statusChanged, userRegistered } from './fixtures.ts';

let cluster: KafkaMockCluster;

beforeAll(async () => {
  cluster = await startKcatMockCluster();
}, 30_000);
afterAll(async () => {
  await cluster?.stop();
});

/** A bus on the shared mock cluster whose topics no other test uses. */
function kafkaBus(options: Partial<KafkaBusOptions> = {}): EventBus {
  return createKafkaBus({
    brokers: cluster.brokers,
    clientId: 'events-test',
    topicPrefix: `t${randomUUID().slice(0, 8)}.`,
    sessionTimeoutMs: 6_000,
    log: silentLog,
    ...options,
  });
}

describeEventBusContract('kafka', async () => kafkaBus());

describe('kafka bus', () => {
  it('resumes a group after the last event it handled when it subscribes again', async () => {
    const topicPrefix = `t${randomUUID().slice(0, 8)}.`;
    const first = kafkaBus({ topicPrefix });
    const seller = `seller-${randomUUID()}`;
    const events = Array.from({ length: 6 }, (_, n) => statusChanged(seller, n));
    const received: string[] = [];
    const subscription = first.subscribe(
      'resume',
      ['seller.status_changed'],
      each((e) => void received.push(e.id)),
    );
    await subscription.ready;
    await first.publish(events.slice(0, 3));
    await vi.waitFor(() => expect(received).toHaveLength(3), { timeout: 20_000 });
    await first.close();

    const second = kafkaBus({ topicPrefix });
    await second.publish(events.slice(3));
    const again = second.subscribe(
      'resume',
      ['seller.status_changed'],
      each((e) => void received.push(e.id)),
    );
    await again.ready;
    await vi.waitFor(() => expect(received).toEqual(events.map((e) => e.id)), { timeout: 20_000 });
    await second.close();
  });

  it('delivers events published before the group ever subscribed (a new group reads from the start)', async () => {
    const bus = kafkaBus();
    const user = userRegistered(`user-${randomUUID()}`);
    await bus.publish([user]);
    const received: string[] = [];
    await bus.subscribe(
      'late',
      ['user.registered'],
      each((e) => void received.push(e.id)),
    ).ready;
    await vi.waitFor(() => expect(received).toEqual([user.id]), { timeout: 20_000 });
    await bus.close();
  });

  it('rejects publish while the brokers do not answer, and publishes again once they do', async () => {
    const bus = kafkaBus({ requestTimeoutMs: 1_000 });
    await bus.publish([userRegistered('warm-up')]); // connected before the outage
    await cluster.pause();
    try {
      await expect(bus.publish([userRegistered('during-outage')])).rejects.toThrow();
    } finally {
      await cluster.resume();
    }
    await vi.waitFor(() => bus.publish([userRegistered('after-outage')]), { timeout: 20_000, interval: 200 });
    await bus.close();
  }, 60_000);
});
