/**
 * Handles one fetched batch of a partition: items of the same key one after another in batch order,
 * different keys in parallel (at most `concurrency` at once). A key stops at its first item that fails
 * or that is reached after `shouldContinue()` turned false. Returns how many items from the start of
 * the batch are done without a gap: only that prefix may be committed, so everything after it is
 * delivered again (at-least-once, and in order per key).
 */
export async function processKeyedBatch<T>(
  items: readonly T[],
  options: {
    keyOf: (item: T) => string;
    handle: (item: T) => Promise<void>;
    concurrency: number;
    shouldContinue: () => boolean;
  },
): Promise<number> {
  const byKey = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = options.keyOf(item);
    const indexes = byKey.get(key);
    if (indexes) indexes.push(index);
    else byKey.set(key, [index]);
  });
  const done = new Array<boolean>(items.length).fill(false);
  const keys = [...byKey.values()];
  let next = 0;

  async function worker(): Promise<void> {
    while (next < keys.length) {
      const indexes = keys[next] as number[];
      next += 1;
      for (const index of indexes) {
        if (!options.shouldContinue()) return;
        try {
          await options.handle(items[index] as T);
        } catch {
          break; // the rest of this key waits for redelivery, behind the failed item
        }
        done[index] = true;
      }
    }
  }

  const workers = Math.max(1, Math.min(options.concurrency, keys.length));
  await Promise.all(Array.from({ length: workers }, worker));
  const firstGap = done.indexOf(false);
  return firstGap === -1 ? items.length : firstGap;
}
