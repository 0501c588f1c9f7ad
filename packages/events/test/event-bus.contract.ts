import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventBus, EventEnvelope } from '../src/index.ts';
import { gate, statusChanged, userRegistered } from './fixtures.ts';

/**
 * The behaviour every EventBus transport must have (in-process today, Kafka later). Groups and
 * aggregate ids are unique per test so a transport with shared state (topics) can run it too.
 */
export function describeEventBusContract(name: string, createBus: () => Promise<EventBus>): void {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    const unsubscribes: (() => void)[] = [];
    const subscribe = (...args: Parameters<EventBus['subscribe']>): void => {
      unsubscribes.push(bus.subscribe(...args));
    };
    let run = 0;
    const unique = (label: string): string => `${label}-${Date.now()}-${(run += 1)}`;

    beforeEach(async () => {
      bus = await createBus();
    });
    afterEach(async () => {
      for (const unsubscribe of unsubscribes.splice(0)) unsubscribe();
      await bus.close();
    });

    it('delivers every event of a subscribed type to every group', async () => {
      const seller = unique('seller');
      const events = [statusChanged(seller, 0), statusChanged(seller, 1), statusChanged(seller, 2)];
      const received = { a: [] as string[], b: [] as string[] };
      subscribe(unique('group-a'), ['seller.status_changed'], async (e) => void received.a.push(e.id));
      subscribe(unique('group-b'), ['seller.status_changed'], async (e) => void received.b.push(e.id));
      await bus.publish(events);
      const ids = events.map((e) => e.id);
      await vi.waitFor(() => expect(received).toEqual({ a: ids, b: ids }), { timeout: 10_000 });
    });

    it('delivers to a group only the types it subscribed to', async () => {
      const received: string[] = [];
      subscribe(unique('group'), ['user.registered'], async (e) => void received.push(e.type));
      const user = userRegistered(unique('user'));
      await bus.publish([statusChanged(unique('seller'), 0), user, statusChanged(unique('seller'), 1)]);
      await vi.waitFor(() => expect(received).toEqual(['user.registered']), { timeout: 10_000 });
    });

    it('delivers the events of one aggregate in publish order, one at a time', async () => {
      const sellers = [unique('seller'), unique('seller'), unique('seller')];
      const published = new Map(sellers.map((s) => [s, [] as string[]]));
      const received = new Map(sellers.map((s) => [s, [] as string[]]));
      const active = new Set<string>();
      let overlaps = 0;
      subscribe(unique('group'), ['seller.status_changed'], async (event) => {
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
      await vi.waitFor(() => expect(received).toEqual(published), { timeout: 10_000 });
      expect(overlaps).toBe(0);
    });

    it('resolves publish without waiting for handlers to finish', async () => {
      const held = gate();
      const received: string[] = [];
      subscribe(unique('group'), ['user.registered'], async (e) => {
        await held.promise;
        received.push(e.id);
      });
      const event = userRegistered(unique('user'));
      await bus.publish([event]);
      expect(received).toEqual([]);
      held.open();
      await vi.waitFor(() => expect(received).toEqual([event.id]), { timeout: 10_000 });
    });

    it('keeps delivering later events of an aggregate after a handler rejects', async () => {
      const seller = unique('seller');
      const [first, second] = [statusChanged(seller, 0), statusChanged(seller, 1)];
      const received: string[] = [];
      subscribe(unique('group'), ['seller.status_changed'], async (e) => {
        if (e.id === first.id) throw new Error('handler failure the bus must survive');
        received.push(e.id);
      });
      await bus.publish([first, second]);
      await vi.waitFor(() => expect(received).toEqual([second.id]), { timeout: 10_000 });
    });

    it('stops delivering to a group once it unsubscribed', async () => {
      const received: string[] = [];
      const unsubscribe = bus.subscribe(
        unique('group'),
        ['user.registered'],
        async (e) => void received.push(e.id),
      );
      const before = userRegistered(unique('user'));
      await bus.publish([before]);
      await vi.waitFor(() => expect(received).toEqual([before.id]), { timeout: 10_000 });
      unsubscribe();
      await bus.publish([userRegistered(unique('user'))]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(received).toEqual([before.id]);
    });

    it('gives each group its own copy of the event', async () => {
      const seen: string[] = [];
      subscribe(unique('group-a'), ['user.registered'], async (e) => {
        (e.data as { name: string }).name = 'changed by group a';
      });
      subscribe(unique('group-b'), ['user.registered'], async (e) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        seen.push((e.data as { name: string }).name);
      });
      const event = userRegistered('u-copy');
      await bus.publish([event]);
      await vi.waitFor(() => expect(seen).toEqual(['User u-copy']), { timeout: 10_000 });
    });
  });
}
