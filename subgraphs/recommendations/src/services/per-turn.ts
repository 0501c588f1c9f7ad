import type DataLoader from 'dataloader';

/**
 * Options of a process-wide DataLoader that sends the loads of one turn of the event loop, from all
 * requests, as one batch: after the turn's I/O callbacks (so requests that arrived together share a
 * statement, and a lone one waits for nothing else), at most `maxBatchSize` keys, and no memo, so
 * every load is read when its batch runs and a key loaded twice is read twice.
 */
export function perTurn<K, V>(maxBatchSize: number): DataLoader.Options<K, V> {
  return { cache: false, batchScheduleFn: (run) => setImmediate(run), maxBatchSize };
}
