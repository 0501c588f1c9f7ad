/**
 * Lanes: how the transports keep one aggregate's events in order while handling several aggregates in
 * parallel, in batches. Each key (aggregateId) hashes to one of `lanes` lanes; a lane is handled one
 * batch at a time, in arrival order, so a key's events never overtake each other or run concurrently.
 */

/** FNV-1a: cheap, stable across processes, spreads similar ids (uuids, `seller-12`) well. */
export function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}

/**
 * A long-lived queue (the in-process bus keeps one per group): items are pushed as they are published
 * and handed to `run` in batches of up to `maxBatch`, per lane. `run` must not reject (it owns retries
 * and settling); a rejection is reported to `onError` and the lane moves on.
 */
export class LaneQueue<T> {
  private readonly pending: T[][];
  private readonly running = new Set<number>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: {
      lanes: number;
      maxBatch: number;
      keyOf: (item: T) => string;
      run: (batch: T[]) => Promise<void>;
      onError: (error: unknown, batch: T[]) => void;
    },
  ) {
    this.pending = Array.from({ length: options.lanes }, () => []);
  }

  push(item: T): void {
    const lane = laneOf(this.options.keyOf(item), this.options.lanes);
    (this.pending[lane] as T[]).push(item);
    if (!this.running.has(lane)) void this.drain(lane);
  }

  /** Removes and returns the items not started yet; running batches finish normally. */
  takePending(): T[] {
    const items = this.pending.flatMap((lane) => lane.splice(0));
    this.notifyIfIdle();
    return items;
  }

  /** Resolves once nothing is pending or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(lane: number): Promise<void> {
    this.running.add(lane);
    const queue = this.pending[lane] as T[];
    while (queue.length > 0) {
      const batch = queue.splice(0, this.options.maxBatch);
      try {
        await this.options.run(batch);
      } catch (error) {
        this.options.onError(error, batch);
      }
    }
    this.running.delete(lane);
    this.notifyIfIdle();
  }

  private isIdle(): boolean {
    return this.running.size === 0 && this.pending.every((lane) => lane.length === 0);
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * One fetched batch of a partition (Kafka): split into lanes by key, each lane handled in chunks of up to
 * `maxBatch` in batch order, lanes in parallel. A lane stops at its first chunk that fails or that is
 * reached after `shouldContinue()` turned false. Returns how many items from the start of the batch are
 * done without a gap: only that prefix may be committed, so everything after it is delivered again
 * (at-least-once, in order per key).
 */
export async function processInLanes<T>(
  items: readonly T[],
  options: {
    lanes: number;
    maxBatch: number;
    keyOf: (item: T) => string;
    handle: (chunk: T[]) => Promise<void>;
    shouldContinue: () => boolean;
  },
): Promise<number> {
  const lanes = Array.from({ length: options.lanes }, () => [] as number[]);
  items.forEach((item, index) => lanes[laneOf(options.keyOf(item), options.lanes)]?.push(index));
  const done = new Array<boolean>(items.length).fill(false);

  async function runLane(indexes: number[]): Promise<void> {
    for (let start = 0; start < indexes.length; start += options.maxBatch) {
      if (!options.shouldContinue()) return;
      const chunk = indexes.slice(start, start + options.maxBatch);
      try {
        await options.handle(chunk.map((index) => items[index] as T));
      } catch {
        return; // the rest of this lane waits for redelivery, behind the failed chunk
      }
      for (const index of chunk) done[index] = true;
    }
  }

  await Promise.all(lanes.filter((lane) => lane.length > 0).map(runLane));
  const firstGap = done.indexOf(false);
  return firstGap === -1 ? items.length : firstGap;
}
