import type { Logger } from 'pino';
import { z } from 'zod';
import type { EventBus } from './event-bus.ts';
import { createInProcessBus } from './in-process-bus.ts';
import { createKafkaBus } from './kafka-bus.ts';

const brokerList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.string().refine((broker) => /^(?:\[[0-9a-fA-F:]+\]|[^\s:[\]]+):\d{1,5}$/.test(broker), {
        error: (issue) => `"${String(issue.input)}" is not host:port (IPv6 as [::1]:9092)`,
      }),
    ),
  );

/** The environment variables that choose and configure the transport; spread into a service's env schema. */
export const eventBusEnvShape = {
  /** `kafka` or `in-process`; unset means kafka when KAFKA_BROKERS is set, else in-process. */
  EVENT_TRANSPORT: z.enum(['in-process', 'kafka']).optional(),
  /** Comma-separated `host:port` bootstrap brokers, e.g. `kafka:9092`. */
  KAFKA_BROKERS: brokerList,
  /** Prepended to every topic name, to share one cluster between environments (e.g. `staging.`). */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
};

export interface EventBusConfig {
  EVENT_TRANSPORT?: 'in-process' | 'kafka' | undefined;
  KAFKA_BROKERS: readonly string[];
  KAFKA_TOPIC_PREFIX: string;
}

export type TransportName = 'in-process' | 'kafka';

export interface ConfiguredBus {
  transport: TransportName;
  bus: EventBus;
  /** In-process with `holdUntilOpened`: lets held publishes through. A no-op for Kafka. */
  open(): void;
}

export function transportOf(config: EventBusConfig): TransportName {
  const transport = config.EVENT_TRANSPORT ?? (config.KAFKA_BROKERS.length > 0 ? 'kafka' : 'in-process');
  if (transport === 'kafka' && config.KAFKA_BROKERS.length === 0) {
    throw new Error('EVENT_TRANSPORT=kafka needs KAFKA_BROKERS (comma-separated host:port list)');
  }
  return transport;
}

/** The bus the configuration asks for. `clientId` names the process to the brokers. */
export function createEventBus(
  config: EventBusConfig,
  options: { clientId: string; log: Logger; holdUntilOpened?: boolean },
): ConfiguredBus {
  const transport = transportOf(config);
  if (transport === 'kafka') {
    const bus = createKafkaBus({
      brokers: config.KAFKA_BROKERS,
      clientId: options.clientId,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      log: options.log,
    });
    return { transport, bus, open: () => undefined };
  }
  const bus = createInProcessBus({ log: options.log, holdUntilOpened: options.holdUntilOpened });
  return { transport, bus, open: () => bus.open() };
}
