import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeMessage, RealtimePubSub } from '../../src/realtime/pubsub.ts';
import { realtimeMessage } from './helpers.ts';

const WAIT = { timeout: 5_000, interval: 10 };

function inbox(): { received: RealtimeMessage[]; listener: (message: RealtimeMessage) => void } {
  const received: RealtimeMessage[] = [];
  return { received, listener: (message) => void received.push(message) };
}

/**
 * The behaviour every RealtimePubSub implementation must have (memory and Redis). `create` returns a
 * pub/sub whose channels no earlier test used.
 */
export function describePubSubContract(name: string, create: () => Promise<RealtimePubSub>): void {
  describe(`RealtimePubSub contract: ${name}`, () => {
    let pubsub: RealtimePubSub;

    beforeEach(async () => {
      pubsub = await create();
    });
    afterEach(async () => {
      await pubsub.close();
    });

    it('delivers the messages published after subscribe resolved, in publish order', async () => {
      const listener = inbox();
      await pubsub.subscribe('order:o1', listener.listener);
      const messages = [1, 2, 3, 4, 5].map(() => realtimeMessage('order.placed'));
      for (const message of messages) await pubsub.publish('order:o1', message);
      await vi.waitFor(() => expect(listener.received).toEqual(messages), WAIT);
    });

    it('carries every field of a message, the feed key included', async () => {
      const listener = inbox();
      await pubsub.subscribe('seller-orders:s1', listener.listener);
      const message = realtimeMessage('order.confirmed', 'seller-order-1');
      await pubsub.publish('seller-orders:s1', message);
      await vi.waitFor(() => expect(listener.received).toEqual([message]), WAIT);
      expect(listener.received[0]).toStrictEqual(message);
    });

    it("does not deliver other channels' messages", async () => {
      const first = inbox();
      const second = inbox();
      await pubsub.subscribe('order:1', first.listener);
      await pubsub.subscribe('order:10', second.listener);
      const [a, b, c] = [realtimeMessage(), realtimeMessage(), realtimeMessage()];
      await pubsub.publish('order:10', a);
      await pubsub.publish('order:1', b);
      await pubsub.publish('order:10', c);
      await pubsub.publish('order:2', realtimeMessage());
      await vi.waitFor(() => expect(second.received).toEqual([a, c]), WAIT);
      // One publisher and one ordered stream: once `c` arrived, `b` did too and nothing else will.
      expect(first.received).toEqual([b]);
    });

    it('delivers each message to every listener of the channel', async () => {
      const first = inbox();
      const second = inbox();
      await pubsub.subscribe('order:o1', first.listener);
      await pubsub.subscribe('order:o1', second.listener);
      const messages = [realtimeMessage(), realtimeMessage()];
      for (const message of messages) await pubsub.publish('order:o1', message);
      await vi.waitFor(() => expect(first.received).toEqual(messages), WAIT);
      await vi.waitFor(() => expect(second.received).toEqual(messages), WAIT);
    });

    it('stops delivering to a listener that unsubscribed while the other one keeps receiving', async () => {
      const leaving = inbox();
      const staying = inbox();
      const unsubscribe = await pubsub.subscribe('order:o1', leaving.listener);
      await pubsub.subscribe('order:o1', staying.listener);
      const before = realtimeMessage();
      await pubsub.publish('order:o1', before);
      await vi.waitFor(() => expect(leaving.received).toEqual([before]), WAIT);

      await unsubscribe();
      const after = [realtimeMessage(), realtimeMessage()];
      for (const message of after) await pubsub.publish('order:o1', message);
      await vi.waitFor(() => expect(staying.received).toEqual([before, ...after]), WAIT);
      expect(leaving.received).toEqual([before]);
    });

    it('delivers to a listener that subscribes after the last one left the channel', async () => {
      const gone = inbox();
      const unsubscribe = await pubsub.subscribe('order:o1', gone.listener);
      await unsubscribe();

      const back = inbox();
      await pubsub.subscribe('order:o1', back.listener);
      const message = realtimeMessage();
      await pubsub.publish('order:o1', message);
      await vi.waitFor(() => expect(back.received).toEqual([message]), WAIT);
      expect(gone.received).toEqual([]);
    });

    it('delivers to a listener that subscribes while the last one is still leaving', async () => {
      const gone = inbox();
      const unsubscribe = await pubsub.subscribe('order:o1', gone.listener);
      const leaving = unsubscribe();
      const back = inbox();
      await pubsub.subscribe('order:o1', back.listener);
      await leaving;

      const message = realtimeMessage();
      await pubsub.publish('order:o1', message);
      await vi.waitFor(() => expect(back.received).toEqual([message]), WAIT);
      expect(gone.received).toEqual([]);
    });

    it('keeps a later listener subscribed when an earlier one unsubscribes again', async () => {
      const gone = inbox();
      const unsubscribe = await pubsub.subscribe('order:o1', gone.listener);
      await unsubscribe();
      const back = inbox();
      await pubsub.subscribe('order:o1', back.listener);
      await unsubscribe();

      const message = realtimeMessage();
      await pubsub.publish('order:o1', message);
      await vi.waitFor(() => expect(back.received).toEqual([message]), WAIT);
    });

    it('stops every delivery on close, and a publish after close neither throws nor delivers', async () => {
      const listener = inbox();
      await pubsub.subscribe('order:o1', listener.listener);
      const before = realtimeMessage();
      await pubsub.publish('order:o1', before);
      await vi.waitFor(() => expect(listener.received).toEqual([before]), WAIT);

      await pubsub.close();
      await expect(pubsub.publish('order:o1', realtimeMessage())).resolves.toBeUndefined();
      expect(listener.received).toEqual([before]);
    });
  });
}
