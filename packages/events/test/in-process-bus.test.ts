import { describe, expect, it } from 'vitest';
import { createInProcessBus } from '../src/index.ts';
import { describeEventBusContract } from './event-bus.contract.ts';
import { each, gate, silentLog, userRegistered } from './fixtures.ts';

describeEventBusContract('in-process', async () => createInProcessBus({ log: silentLog }));

const tick = (ms = 20): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('in-process bus', () => {
  it('drops an event published while no group subscribes to its type', async () => {
    const bus = createInProcessBus({ log: silentLog });
    await bus.publish([userRegistered('early')]);
    const received: string[] = [];
    bus.subscribe(
      'late',
      ['user.registered'],
      each((e) => void received.push(e.aggregateId)),
    );
    await bus.publish([userRegistered('later')]);
    await bus.close();
    expect(received).toEqual(['later']);
  });

  it('resolves publish only after every subscribed group handled the events', async () => {
    const bus = createInProcessBus({ log: silentLog });
    const held = gate();
    const received: string[] = [];
    bus.subscribe(
      'fast',
      ['user.registered'],
      each((e) => void received.push(`fast:${e.aggregateId}`)),
    );
    bus.subscribe(
      'slow',
      ['user.registered'],
      each(async (e) => {
        await held.promise;
        received.push(`slow:${e.aggregateId}`);
      }),
    );
    let published = false;
    const publishing = bus.publish([userRegistered('a')]).then(() => (published = true));
    await tick();
    expect(published).toBe(false);
    expect(received).toEqual(['fast:a']);
    held.open();
    await publishing;
    expect(received).toEqual(['fast:a', 'slow:a']);
    await bus.close();
  });

  it('rejects the publish of events a group had not started when it unsubscribed, so the outbox keeps them', async () => {
    const bus = createInProcessBus({ log: silentLog, concurrency: 1 });
    const held = gate();
    const received: string[] = [];
    const subscription = bus.subscribe(
      'g',
      ['user.registered'],
      each(async (e) => {
        await held.promise;
        received.push(e.aggregateId);
      }),
    );
    const first = bus.publish([userRegistered('a')]);
    await tick();
    const second = bus.publish([userRegistered('b')]); // queued behind the running batch
    await tick();
    const unsubscribing = subscription.unsubscribe();
    held.open();
    await unsubscribing;
    await first;
    await expect(second).rejects.toThrow(/not delivered to group "g"/);
    expect(received).toEqual(['a']);
    await bus.close();
  });

  it('refuses publishing a type a stopped group is owed until the group subscribes again', async () => {
    const bus = createInProcessBus({ log: silentLog });
    const received: string[] = [];
    const first = bus.subscribe(
      'g',
      ['user.registered'],
      each((e) => void received.push(e.aggregateId)),
    );
    await first.unsubscribe();
    await expect(bus.publish([userRegistered('while-stopped')])).rejects.toThrow(/Group "g" is stopped/);
    bus.subscribe(
      'g',
      ['user.registered'],
      each((e) => void received.push(e.aggregateId)),
    );
    await bus.publish([userRegistered('while-stopped')]);
    expect(received).toEqual(['while-stopped']);
    await bus.close();
  });

  it('holds publishes until opened, then delivers them', async () => {
    const bus = createInProcessBus({ log: silentLog, holdUntilOpened: true });
    const received: string[] = [];
    let published = false;
    const publishing = bus.publish([userRegistered('early')]).then(() => (published = true));
    bus.subscribe(
      'g',
      ['user.registered'],
      each((e) => void received.push(e.aggregateId)),
    );
    await tick();
    expect(published).toBe(false);
    bus.open();
    await publishing;
    expect(received).toEqual(['early']);
    await bus.close();
  });

  it('refuses publish after close', async () => {
    const bus = createInProcessBus({ log: silentLog });
    await bus.close();
    await expect(bus.publish([userRegistered('c')])).rejects.toThrow(/closed/);
  });

  it('runs batches of different aggregates concurrently, at most `concurrency` at once', async () => {
    const bus = createInProcessBus({ log: silentLog, concurrency: 3 });
    const held = gate();
    let running = 0;
    let peak = 0;
    bus.subscribe('g', ['user.registered'], async () => {
      running += 1;
      peak = Math.max(peak, running);
      await held.promise;
      running -= 1;
    });
    const ids = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    const publishing = bus.publish(ids.map((id) => userRegistered(id)));
    await tick();
    expect(running).toBe(3);
    held.open();
    await publishing;
    await bus.close();
    expect(peak).toBe(3);
  });
});
