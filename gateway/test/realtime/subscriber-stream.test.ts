import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { SubscriberStream } from '../../src/realtime/subscriber-stream.ts';

const payload = (n: number): FormattedExecutionResult => ({ data: { n } });
const done = { value: undefined, done: true };

describe('SubscriberStream', () => {
  it('yields pushed payloads in push order', async () => {
    const stream = new SubscriberStream(10);
    expect(stream.push(payload(1))).toBe(true);
    expect(stream.push(payload(2))).toBe(true);
    expect(stream.push(payload(3))).toBe(true);
    expect(await stream.next()).toEqual({ value: payload(1), done: false });
    expect(await stream.next()).toEqual({ value: payload(2), done: false });
    expect(await stream.next()).toEqual({ value: payload(3), done: false });
  });

  it('makes next() wait until a payload is pushed', async () => {
    const stream = new SubscriberStream(10);
    const settled = vi.fn();
    const next = stream.next().then(settled);
    await new Promise((resolve) => setImmediate(resolve)); // every pending microtask has run
    expect(settled).not.toHaveBeenCalled();
    expect(stream.push(payload(1))).toBe(true);
    await next;
    expect(settled).toHaveBeenCalledWith({ value: payload(1), done: false });
  });

  it('completes after the queued payloads when ended', async () => {
    const stream = new SubscriberStream(10);
    stream.push(payload(1));
    stream.push(payload(2));
    stream.end();
    expect(stream.push(payload(3))).toBe(false);
    const received: FormattedExecutionResult[] = [];
    for await (const value of stream) received.push(value);
    expect(received).toEqual([payload(1), payload(2)]);
    expect(await stream.next()).toEqual(done);
  });

  it('completes a pending next() when ended', async () => {
    const stream = new SubscriberStream(10);
    const next = stream.next();
    stream.end();
    expect(await next).toEqual(done);
  });

  it('ends at once on return(), dropping what is queued', async () => {
    const stream = new SubscriberStream(10);
    stream.push(payload(1));
    expect(await stream.return()).toEqual(done);
    expect(stream.ended).toBe(true);
    expect(await stream.next()).toEqual(done);
    expect(stream.push(payload(2))).toBe(false);
  });

  it('resolves a pending next() as done on return(), and runs the end listeners once', async () => {
    const stream = new SubscriberStream(10);
    const onEnd = vi.fn();
    stream.onEnd(onEnd);
    const next = stream.next();
    expect(await stream.return()).toEqual(done);
    expect(await next).toEqual(done);
    await stream.return();
    stream.end();
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('runs an end listener added after the end at once', () => {
    const stream = new SubscriberStream(10);
    stream.end();
    const onEnd = vi.fn();
    stream.onEnd(onEnd);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('runs the end listeners when a for await loop breaks', async () => {
    const stream = new SubscriberStream(10);
    const onEnd = vi.fn();
    stream.onEnd(onEnd);
    stream.push(payload(1));
    stream.push(payload(2));
    for await (const value of stream) {
      expect(value).toEqual(payload(1));
      break;
    }
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(stream.ended).toBe(true);
  });

  it('rejects a pending next() with the failure, and ends', async () => {
    const stream = new SubscriberStream(10);
    const onEnd = vi.fn();
    stream.onEnd(onEnd);
    const next = stream.next();
    stream.fail(new Error('boom'));
    await expect(next).rejects.toThrow('boom');
    expect(stream.ended).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('drops the queued payloads on fail(), ends at once, and rejects the next next() once', async () => {
    const stream = new SubscriberStream(10);
    const onEnd = vi.fn();
    stream.onEnd(onEnd);
    stream.push(payload(1));
    stream.push(payload(2));
    stream.fail(new Error('boom'));
    // Ended at once (the hub and the connection let go of it); the reader still gets the error, once.
    expect(stream.ended).toBe(true);
    expect(onEnd).toHaveBeenCalledTimes(1);
    await expect(stream.next()).rejects.toThrow('boom');
    await expect(stream.next()).resolves.toEqual({ value: undefined, done: true });
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('keeps the first failure when failed twice', async () => {
    const stream = new SubscriberStream(10);
    stream.fail(new Error('first'));
    stream.fail(new Error('second'));
    await expect(stream.next()).rejects.toThrow('first');
  });

  it('ignores fail() after the stream ended', async () => {
    const stream = new SubscriberStream(10);
    stream.push(payload(1));
    stream.end();
    stream.fail(new Error('too late'));
    expect(await stream.next()).toEqual({ value: payload(1), done: false });
    expect(await stream.next()).toEqual(done);
  });

  it('fails the stream and refuses the payload when more than capacity payloads wait', async () => {
    const stream = new SubscriberStream(2);
    expect(stream.push(payload(1))).toBe(true);
    expect(stream.push(payload(2))).toBe(true);
    expect(stream.push(payload(3))).toBe(false);
    await expect(stream.next()).rejects.toThrow(/subscriber too slow: more than 2 payloads waiting/);
    expect(stream.ended).toBe(true);
  });

  it('refuses payloads pushed after fail() with no reader waiting, and rejects the next next()', async () => {
    const stream = new SubscriberStream(10);
    stream.fail(new Error('boom'));
    expect(stream.push(payload(1))).toBe(false);
    await expect(stream.next()).rejects.toThrow('boom');
    expect(stream.push(payload(2))).toBe(false);
    expect(await stream.next()).toEqual(done);
  });

  it('refuses every payload once failed for being too slow', async () => {
    const stream = new SubscriberStream(1);
    expect(stream.push(payload(1))).toBe(true);
    expect(stream.push(payload(2))).toBe(false); // fails the stream, dropping payload 1
    expect(stream.push(payload(3))).toBe(false);
    await expect(stream.next()).rejects.toThrow(/subscriber too slow/);
    expect(await stream.next()).toEqual(done);
  });

  it.each([
    [
      'a later next()',
      (stream: SubscriberStream) => {
        stream.fail(new Error('boom'));
        return stream.next();
      },
    ],
    [
      'a waiting next()',
      (stream: SubscriberStream) => {
        const next = stream.next();
        stream.fail(new Error('boom'));
        return next;
      },
    ],
  ])('reports a failure once, to %s: the next() calls after it resolve done', async (_, failedRead) => {
    const stream = new SubscriberStream(10);
    await expect(failedRead(stream)).rejects.toThrow('boom');
    expect(await stream.next()).toEqual(done);
    expect(await stream.next()).toEqual(done);
    expect(stream.ended).toBe(true);
  });

  it('does not count a payload handed straight to a waiting reader against the capacity', async () => {
    const stream = new SubscriberStream(1);
    for (let n = 1; n <= 5; n += 1) {
      const next = stream.next();
      expect(stream.push(payload(n))).toBe(true);
      expect(await next).toEqual({ value: payload(n), done: false });
    }
    expect(stream.push(payload(6))).toBe(true);
    expect(await stream.next()).toEqual({ value: payload(6), done: false });
  });

  it('ends on throw(), rejecting with the given error', async () => {
    const stream = new SubscriberStream(10);
    const onEnd = vi.fn();
    stream.onEnd(onEnd);
    stream.push(payload(1));
    await expect(stream.throw(new Error('client went away'))).rejects.toThrow('client went away');
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(await stream.next()).toEqual(done);
  });
});
