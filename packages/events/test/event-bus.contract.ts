import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventBus, EventEnvelope, Subscription } from '../src/index.ts';
import { statusChanged, userRegistered } from './fixtures.ts';

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
      await subscribe(unique('group-a'), ['seller.status_changed'], async (e) => void received.a.push(e.id));
      await subscribe(unique('group-b'), ['seller.status_changed'], async (e) => void received.b.push(e.id));
      await bus.publish(events);
      const ids = events.map((e) => e.id);
      await vi.waitFor(() => expect(received).toEqual({ a: ids, b: ids }), WAIT);
    });

    it('delivers to a group only the types it subscribed to', async () => {
      const received: string[] = [];
      await subscribe(unique('group'), ['user.registered'], async (e) => void received.push(e.type));
      const user = userRegistered(unique('user'));
      await bus.publish([statusChanged(unique('seller'), 0), user, statusChanged(unique('seller'), 1)]);
      await vi.waitFor(() => expect(received).toEqual(['user.registered']), WAIT);
    });

    it('delivers the events of one aggregate in publish order, one at a time', async () => {
      const sellers = [unique('seller'), unique('seller'), unique('seller')];
      const published = new Map(sellers.map((s) => [s, [] as string[]]));
      const received = new Map(sellers.map((s) => [s, [] as string[]]));
      const active = new Set<string>();
      let overlaps = 0;
      await subscribe(unique('group'), ['seller.status_changed'], async (event) => {
        if (active.has(event.aggregateId)) overlaps += 1;
        active.add(event.aggregateId);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        received.get(event.aggregateId)?.push(event.id);
        active.delete(event.aggregateId);
      });
      const batch: EventEnvelope[] = [];
      for (let n = 0; n < 30; n += 1) {
        for (const seller of sellers) {
          const event = statusChanged(seller, n);
          published.get(seller)?.push(event.id);
          batch.push(event);
        }
      }
      await bus.publish(batch.slice(0, 45));
      await bus.publish(batch.slice(45));
      await vi.waitFor(() => expect(received).toEqual(published), WAIT);
      expect(overlaps).toBe(0);
    });

    it('redelivers an event whose handler rejected before any later event of its aggregate', async () => {
      const seller = unique('seller');
      const [first, second] = [statusChanged(seller, 0), statusChanged(seller, 1)];
      const attempts: string[] = [];
      await subscribe(unique('group'), ['seller.status_changed'], async (e) => {
        attempts.push(e.id);
        if (e.id === first.id && attempts.length < 3) throw new Error('handler failure the bus must survive');
      });
      await bus.publish([first, second]);
      await vi.waitFor(() => expect(attempts).toEqual([first.id, first.id, first.id, second.id]), WAIT);
    });

    it('stops delivering to a group once it unsubscribed', async () => {
      const received: string[] = [];
      const subscription = await subscribe(
        unique('group'),
        ['user.registered'],
        async (e) => void received.push(e.id),
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
      await subscribe(unique('group-a'), ['user.registered'], async (e) => {
        (e.data as { name: string }).name = 'changed by group a';
      });
      await subscribe(unique('group-b'), ['user.registered'], async (e) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen.push((e.data as { name: string }).name);
      });
      const event = userRegistered('u-copy');
      await bus.publish([event]);
      await vi.waitFor(() => expect(seen).toEqual(['User u-copy']), WAIT);
    });

    it('refuses a second subscription of the same group on one bus', async () => {
      const group = unique('group');
      await subscribe(group, ['user.registered'], async () => undefined);
      expect(() => bus.subscribe(group, ['seller.created'], async () => undefined)).toThrow(
        /already has a subscription/,
      );
    });
  });
}
