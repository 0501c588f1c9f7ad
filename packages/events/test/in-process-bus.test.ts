import { describe, expect, it } from 'vitest';
import { createInProcessBus } from '../src/index.ts';
import { describeEventBusContract } from './event-bus.contract.ts';
import { gate, silentLog, userRegistered } from './fixtures.ts';

describeEventBusContract('in-process', async () => createInProcessBus({ log: silentLog }));

describe('in-process bus', () => {
  it('drops an event published while no group subscribes to its type', async () => {
    const bus = createInProcessBus({ log: silentLog });
    await bus.publish([userRegistered('early')]);
    const received: string[] = [];
    bus.subscribe('late', ['user.registered'], async (e) => void received.push(e.aggregateId));
    const later = userRegistered('later');
    await bus.publish([later]);
    await bus.close();
    expect(received).toEqual(['later']);
  });

  it('hands each event to one subscription when two in the same group subscribe to its type', async () => {
    const bus = createInProcessBus({ log: silentLog });
    const received: string[] = [];
    bus.subscribe('orders', ['user.registered'], async () => void received.push('first'));
    bus.subscribe('orders', ['user.registered'], async () => void received.push('second'));
    await bus.publish([userRegistered('u1'), userRegistered('u2')]);
    await bus.close();
    expect(received).toEqual(['first', 'first']);
  });

  it('finishes the deliveries it accepted before close resolves, and refuses publish afterwards', async () => {
    const bus = createInProcessBus({ log: silentLog });
    const held = gate();
    const received: string[] = [];
    bus.subscribe('g', ['user.registered'], async (e) => {
      await held.promise;
      received.push(e.aggregateId);
    });
    await bus.publish([userRegistered('a'), userRegistered('b')]);
    let closed = false;
    const closing = bus.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    held.open();
    await closing;
    expect(received.sort()).toEqual(['a', 'b']);
    await expect(bus.publish([userRegistered('c')])).rejects.toThrow(/closed/);
  });

  it('runs different aggregates concurrently up to its concurrency', async () => {
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
    await bus.publish(['a', 'b', 'c', 'd', 'e'].map((id) => userRegistered(id)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(running).toBe(3);
    held.open();
    await bus.close();
    expect(peak).toBe(3);
  });
});
