import {
  parseEnvelope,
  type AnyEnvelope,
  type EventBus,
  type EventEnvelope,
  type EventType,
  type Subscription,
} from '@mp/events';
import type { Logger } from '@mp/kit';
import type { RealtimeMessage } from './pubsub.ts';

export const orderChannel = (orderId: string) => `order:${orderId}`;
export const shipmentChannel = (shipmentId: string) => `shipment:${shipmentId}`;
export const sellerOrdersChannel = (sellerId: string) => `seller-orders:${sellerId}`;

/** The events subscribers can notice: an order's status, its payment and its shipments. */
export const REALTIME_EVENT_TYPES = [
  'order.placed',
  'order.confirmed',
  'order.cancelled',
  'order.completed',
  'payment.authorized',
  'payment.failed',
  'payment.captured',
  'payment.voided',
  'payment.refunded',
  'shipment.created',
  'shipment.shipped',
  'shipment.tracking_recorded',
  'shipment.delivered',
  'shipment.cancelled',
] as const satisfies readonly EventType[];

type RealtimeEvent = AnyEnvelope<(typeof REALTIME_EVENT_TYPES)[number]>;

export interface Change {
  channel: string;
  message: RealtimeMessage;
}

/** The channels one event touches: its order's, its shipment's, and for a newly paid order each shop's feed. */
export function changesOf(envelope: RealtimeEvent): Change[] {
  const base = { eventId: envelope.id, type: envelope.type, occurredAt: envelope.occurredAt };
  const changes: Change[] = [{ channel: orderChannel(envelope.data.orderId), message: base }];
  if (envelope.type.startsWith('shipment.') && 'shipmentId' in envelope.data) {
    changes.push({ channel: shipmentChannel(envelope.data.shipmentId), message: base });
  }
  if (envelope.type === 'order.confirmed') {
    for (const part of envelope.data.sellerOrders) {
      changes.push({
        channel: sellerOrdersChannel(part.sellerId),
        message: { ...base, key: part.sellerOrderId },
      });
    }
  }
  return changes;
}

export interface RealtimeRelayOptions {
  bus: EventBus;
  /** The consumer group: shared by replicas that publish to Redis, one per replica otherwise. */
  group: string;
  publish: (channel: string, message: RealtimeMessage) => Promise<void> | void;
  log: Logger;
}

/**
 * Turns bus events into realtime notifications. Never slows the bus down: publishing is fire-and-forget
 * (a failed publish is logged and dropped), because the in-process bus waits for every group.
 */
export function startRealtimeRelay(options: RealtimeRelayOptions): Subscription {
  const { publish, log } = options;
  return options.bus.subscribe(
    options.group,
    REALTIME_EVENT_TYPES,
    async (events: readonly EventEnvelope[]) => {
      for (const raw of events) {
        const checked = parseEnvelope(raw);
        if (!checked.ok) {
          log.warn({ error: checked.error }, 'realtime relay skipped an invalid event');
          continue;
        }
        // Subscribed to REALTIME_EVENT_TYPES only, and the type was just checked against the catalog.
        for (const { channel, message } of changesOf(checked.envelope as RealtimeEvent)) {
          // A publish that throws (even synchronously) must not fail the batch: the bus would redeliver it.
          void Promise.resolve()
            .then(() => publish(channel, message))
            .catch((error: unknown) =>
              log.warn({ err: error, channel, event: message.type }, 'realtime change not published'),
            );
        }
      }
    },
  );
}
