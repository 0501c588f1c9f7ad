import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventBus, EventEnvelope, Subscription } from '../src/index.ts';
import { each, statusChanged, userRegistered } from './fixtures.ts';

const WAIT = { timeout: 20_000, interval: 20 };

/**
 * The behaviour every EventBus transport must have (in-process and Kafka). `createBus` returns a bus
 * whose state (topics) is not shared with earlier tests, and groups and aggregate ids are unique per
 * test as well.
 */
export function describeEventBusContract(name: string, createBus: () => Promise<EventBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    let run = 0;
    const unique = (label: string): string => `${label}-${Date.now()}-${(run += 1)}`;
    const subscribe = async (...args: Parameters<EventBus['subscribe']>): Promise<Subscription> => {
      const subscription = bus.subscribe(...args);
      await subscription.ready;
      return subscription;
    };

    beforeEach(async () => {
      bus = await createBus();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers every event of a subscribed type to every group', async () => {
      const seller = unique('seller');
      const events = [statusChanged(seller, 0), statusChanged(seller, 1), statusChanged(seller, 2)];
      const received = { a: [] as string[], b: [] as string[] };
      await subscribe(
        unique('group-a'),
        ['seller.status_changed'],
        each((e) => void received.a.push(e.id)),
      );
      await subscribe(
        unique('group-b'),
        ['seller.status_changed'],
        each((e) => void received.b.push(e.id)),
      );
      await bus.publish(events);
      const ids = events.map((e) => e.id);
      await vi.waitFor(() => expect(received).toEqual({ a: ids, b: ids }), WAIT);
    });

    it('delivers to a group only the types it subscribed to', async () => {
      const received: string[] = [];
      await subscribe(
        unique('group'),
        ['user.registered'],
        each((e) => void received.push(e.type)),
      );
      const user = userRegistered(unique('user'));
      await bus.publish([statusChanged(unique('seller'), 0), user, statusChanged(unique('seller'), 1)]);
      await vi.waitFor(() => expect(received).toEqual(['user.registered']), WAIT);
    });

    it('delivers the events of one aggregate in publish order, never in two batches at once', async () => {
      const sellers = [unique('seller'), unique('seller'), unique('seller')];
      const published = new Map(sellers.map((s) => [s, [] as string[]]));
      const received = new Map(sellers.map((s) => [s, [] as string[]]));
      const active = new Set<string>();
      let overlaps = 0;
      await subscribe(unique('group'), ['seller.status_changed'], async (batch) => {
        const aggregates = new Set(batch.map((e) => e.aggregateId));
        for (const aggregate of aggregates) {
          if (active.has(aggregate)) overlaps += 1;
          active.add(aggregate);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        for (const event of batch) received.get(event.aggregateId)?.push(event.id);
        for (const aggregate of aggregates) active.delete(aggregate);
      });
      const events: EventEnvelope[] = [];
      for (let n = 0; n < 30; n += 1) {
        for (const seller of sellers) {
          const event = statusChanged(seller, n);
          published.get(seller)?.push(event.id);
          events.push(event);
        }
      }
      await bus.publish(events.slice(0, 45));
      await bus.publish(events.slice(45));
      await vi.waitFor(() => expect(received).toEqual(published), WAIT);
      expect(overlaps).toBe(0);
    });

    it('redelivers a rejected batch before any later event of its aggregate', async () => {
      const seller = unique('seller');
      const [first, second] = [statusChanged(seller, 0), statusChanged(seller, 1)];
      let attemptsOfFirst = 0;
      const handled: string[] = [];
      await subscribe(unique('group'), ['seller.status_changed'], async (batch) => {
        if (batch.some((e) => e.id === first.id)) {
          attemptsOfFirst += 1;
          if (attemptsOfFirst < 3) throw new Error('handler failure the bus must survive');
        }
        handled.push(...batch.map((e) => e.id));
      });
      await bus.publish([first]);
      await bus.publish([second]).catch(() => undefined);
      await vi.waitFor(() => expect(handled).toEqual([first.id, second.id]), WAIT);
      expect(attemptsOfFirst).toBe(3);
    });

    it('stops delivering to a group once it unsubscribed', async () => {
      const received: string[] = [];
      const subscription = await subscribe(
        unique('group'),
        ['user.registered'],
        each((e) => void received.push(e.id)),
      );
      const before = userRegistered(unique('user'));
      await bus.publish([before]);
      await vi.waitFor(() => expect(received).toEqual([before.id]), WAIT);
      await subscription.unsubscribe();
      // Kafka stores the event for the group's return; in-process refuses it, so the outbox keeps it.
      await bus.publish([userRegistered(unique('user'))]).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toEqual([before.id]);
    });

    it('gives each group its own copy of the event', async () => {
      const seen: string[] = [];
      await subscribe(
        unique('group-a'),
        ['user.registered'],
        each((e) => {
          (e.data as { name: string }).name = 'changed by group a';
        }),
      );
      await subscribe(
        unique('group-b'),
        ['user.registered'],
        each(async (e) => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          seen.push((e.data as { name: string }).name);
        }),
      );
      const event = userRegistered('u-copy');
      await bus.publish([event]);
      await vi.waitFor(() => expect(seen).toEqual(['User u-copy']), WAIT);
    });

    it('refuses a second subscription of the same group on one bus', async () => {
      const group = unique('group');
      await subscribe(
        group,
        ['user.registered'],
        each(() => undefined),
      );
      expect(() =>
        bus.subscribe(
          group,
          ['seller.created'],
          each(() => undefined),
        ),
      ).toThrow(/already has a subscription/);
    });
  });
}
