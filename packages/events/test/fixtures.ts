import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { DeliverBatch, EventEnvelope } from '../src/index.ts';

export const silentLog = pino({ level: 'silent' });

const STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED'] as const;

/** The n-th status change of a seller: a valid envelope as a transport would carry it. */
export function statusChanged(sellerId: string, n: number): EventEnvelope<'seller.status_changed'> {
  return {
    id: randomUUID(),
    type: 'seller.status_changed',
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: sellerId,
    data: {
      sellerId,
      ownerId: `owner-of-${sellerId}`,
      status: STATUSES[(n + 1) % 3] ?? 'ACTIVE',
      previousStatus: STATUSES[n % 3] ?? 'PENDING',
    },
  };
}

export function userRegistered(userId: string): EventEnvelope<'user.registered'> {
  return {
    id: randomUUID(),
    type: 'user.registered',
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: userId,
    data: { userId, email: `${userId}@example.test`, name: `User ${userId}` },
  };
}

/** A promise plus its resolve function, to hold a handler until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A batch handler that calls `fn` for each event of the batch, in order. */
export function each(fn: (event: EventEnvelope) => Promise<void> | void): DeliverBatch {
  return async (events) => {
    for (const event of events) await fn(event);
  };
}
