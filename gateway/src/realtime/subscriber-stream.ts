import type { FormattedExecutionResult } from 'graphql';

/**
 * One subscriber's outgoing payloads: a bounded queue read by graphql-ws as an async iterator. It is a
 * hand-written iterator rather than an async generator because `return()` must end it at once (a client's
 * `complete`, a closed socket, shutdown), even while it waits for the next payload.
 */
export class SubscriberStream implements AsyncGenerator<FormattedExecutionResult, void, unknown> {
  private readonly queue: FormattedExecutionResult[] = [];
  private waiting: {
    resolve: (result: IteratorResult<FormattedExecutionResult, void>) => void;
    reject: (error: Error) => void;
  } | null = null;
  private failure: Error | null = null;
  private done = false;
  private readonly endListeners: (() => void)[] = [];

  constructor(
    /** Payloads waiting for the socket beyond this mean a client that does not keep up. */
    private readonly capacity: number,
  ) {}

  /** Runs `listener` once when the stream ends, however it ends. */
  onEnd(listener: () => void): void {
    if (this.done) listener();
    else this.endListeners.push(listener);
  }

  get ended(): boolean {
    return this.done;
  }

  /** Queues a payload; false when the stream has ended, or (failing it) when the subscriber is too far behind. */
  push(result: FormattedExecutionResult): boolean {
    if (this.done || this.failure) return false;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: result, done: false });
      return true;
    }
    if (this.queue.length >= this.capacity) {
      this.fail(
        new Error(`subscriber too slow: more than ${this.capacity} payloads waiting; subscribe again`),
      );
      return false;
    }
    this.queue.push(result);
    return true;
  }

  /** Ends the stream with an error (graphql-ws sends it as an `error`); payloads still queued are dropped. */
  fail(error: Error): void {
    if (this.done) return;
    // Ended at once (the hub and the connection let go of it); the error waits for the reader.
    this.failure = error;
    this.queue.length = 0;
    this.finish();
    this.flushWaiting();
  }

  /** Ends the stream after what is queued; graphql-ws then sends `complete`. */
  end(): void {
    if (this.done) return;
    this.finish();
    this.flushWaiting();
  }

  next(): Promise<IteratorResult<FormattedExecutionResult, void>> {
    const value = this.queue.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.failure) {
      const error = this.failure;
      this.failure = null; // reported once; the stream is then simply done
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<FormattedExecutionResult, void>> {
    this.queue.length = 0;
    this.failure = null;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error: unknown): Promise<IteratorResult<FormattedExecutionResult, void>> {
    this.queue.length = 0;
    this.end();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const listener of this.endListeners.splice(0)) listener();
  }

  private flushWaiting(): void {
    if (!this.waiting) return;
    const { resolve, reject } = this.waiting;
    this.waiting = null;
    if (this.failure) {
      const error = this.failure;
      this.failure = null; // reported once; the stream is then simply done
      reject(error);
      return;
    }
    resolve({ value: undefined, done: true });
  }
}
