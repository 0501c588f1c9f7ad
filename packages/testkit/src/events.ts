import { randomUUID } from 'node:crypto';
import { eventCatalog, type EventData, type EventEnvelope, type EventType } from '@mp/events';

/** An envelope as a producer would enqueue it, for tests that publish events straight to a bus. */
export function testEnvelope<T extends EventType>(
  type: T,
  aggregateId: string,
  data: EventData<T>,
): EventEnvelope<T> {
  return {
    id: randomUUID(),
    type,
    version: eventCatalog[type].version,
    occurredAt: new Date().toISOString(),
    aggregateId,
    data,
  };
}
