/**
 * Runs items one at a time per key, in arrival order per key, with up to `concurrency` keys in flight.
 * Invariant: a key is in `ready` exactly when it has pending items and is not running, so it is never
 * run twice at once and never forgotten.
 */
export class KeyedSerialQueue<T> {
  private readonly pending = new Map<string, T[]>();
  private readonly ready: string[] = [];
  private readonly running = new Set<string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly run: (item: T) => Promise<void>,
    private readonly onError: (error: unknown, item: T) => void,
  ) {}

  push(key: string, item: T): void {
    const queue = this.pending.get(key);
    if (queue) {
      queue.push(item);
    } else {
      this.pending.set(key, [item]);
      if (!this.running.has(key)) this.ready.push(key);
    }
    this.pump();
  }

  /** Removes and returns the items not started yet; running items finish normally. */
  takePending(): T[] {
    const items = [...this.pending.values()].flat();
    this.pending.clear();
    this.ready.length = 0;
    this.notifyIfIdle();
    return items;
  }

  /** Resolves once nothing is pending or running. */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift() as string;
      const queue = this.pending.get(key) as T[];
      const item = queue.shift() as T;
      if (queue.length === 0) this.pending.delete(key);
      this.running.add(key);
      void this.execute(key, item);
    }
  }

  private async execute(key: string, item: T): Promise<void> {
    try {
      await this.run(item);
    } catch (error) {
      this.onError(error, item);
    } finally {
      this.running.delete(key);
      // Back of the line, so one busy aggregate cannot starve the others.
      if (this.pending.has(key)) this.ready.push(key);
      this.pump();
      this.notifyIfIdle();
    }
  }

  private notifyIfIdle(): void {
    if (this.running.size > 0 || this.pending.size > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
