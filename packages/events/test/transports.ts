import { createInProcessBus, createKafkaBus, type EventBus } from '../src/index.ts';
import { silentLog } from './fixtures.ts';

export type TransportName = 'in-process' | 'kafka';

/** Where a bus of the transport under test connects: nothing in-process; brokers and a topic prefix for Kafka. */
export interface TransportTarget {
  transport: TransportName;
  brokers?: string[];
  topicPrefix?: string;
}

/** A bus of the given transport, configured as the durability tests and their worker processes use it. */
export function busFor(target: TransportTarget): EventBus {
  if (target.transport === 'in-process') return createInProcessBus({ log: silentLog });
  if (!target.brokers) throw new Error('The Kafka transport needs brokers');
  return createKafkaBus({
    brokers: target.brokers,
    clientId: 'events-durability-test',
    topicPrefix: target.topicPrefix,
    sessionTimeoutMs: 6_000,
    requestTimeoutMs: 1_000,
    log: silentLog,
  });
}
