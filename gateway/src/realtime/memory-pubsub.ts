import type { RealtimeListener, RealtimeMessage, RealtimePubSub } from './pubsub.ts';

/** One process's pub/sub: the gateway of the all-in-one process, or a replica fed by its own consumer. */
export function createMemoryPubSub(): RealtimePubSub {
  const listeners = new Map<string, Set<RealtimeListener>>();
  return {
    async publish(channel: string, message: RealtimeMessage) {
      for (const listener of listeners.get(channel) ?? []) listener(message);
    },
    async subscribe(channel: string, listener: RealtimeListener) {
      const set = listeners.get(channel) ?? new Set<RealtimeListener>();
      listeners.set(channel, set);
      set.add(listener);
      return async () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(channel) === set) listeners.delete(channel);
      };
    },
    async close() {
      listeners.clear();
    },
  };
}
