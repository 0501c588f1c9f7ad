export {
  eventCatalog,
  isEventType,
  ORDER_CANCEL_REASONS,
  PAYMENT_FAILURE_REASONS,
  SHIPMENT_STATUSES,
  topicOf,
} from './catalog.ts';
export type { AnyEnvelope, EventData, EventEnvelope, EventTopic, EventType } from './catalog.ts';
export { EventValidationError, parseEnvelope } from './envelope.ts';
export type { EnvelopeCheck } from './envelope.ts';
export type { SqlTx } from './sql-tx.ts';
export { enqueueEvent } from './outbox.ts';
export type { DeliverBatch, EventBus, Subscription } from './event-bus.ts';
export { createInProcessBus } from './in-process-bus.ts';
export type { InProcessBus, InProcessBusOptions } from './in-process-bus.ts';
export { startOutboxRelay } from './outbox-relay.ts';
export type { OutboxRelay, OutboxRelayOptions } from './outbox-relay.ts';
export { startConsumer } from './consumer.ts';
export type { Consumer, ConsumerOptions } from './consumer.ts';
export { createPgTransactionRunner } from './pg-transaction.ts';
export type { PgTransactionRunner, PgTx } from './pg-transaction.ts';
export { OUTBOX_PRISMA_MODELS } from './prisma-models.ts';
export { createKafkaBus } from './kafka-bus.ts';
export type { KafkaBusOptions } from './kafka-bus.ts';
export { createEventBus, eventBusEnvShape, transportOf } from './bus-config.ts';
export type { ConfiguredBus, EventBusConfig, TransportName } from './bus-config.ts';
export { startSubgraphEvents } from './subgraph-events.ts';
export type { SubgraphEvents } from './subgraph-events.ts';
