/**
 * What travels on a realtime channel: which event happened, and for feeds which item it is about. The
 * payload itself is never published: each gateway resolves it per subscriber, as that subscriber.
 */
export interface RealtimeMessage {
  eventId: string;
  /** The bus event type, e.g. `order.confirmed`. */
  type: string;
  /** When the change was committed (the event's `occurredAt`). */
  occurredAt: string;
  /** Feeds only: the id of the new item (the seller feed's SellerOrder id). */
  key?: string;
}

export type RealtimeListener = (message: RealtimeMessage) => void;

/**
 * Fan-out of change notifications to every gateway replica. Channels are per aggregate
 * (`order:<id>`, `shipment:<id>`, `seller-orders:<sellerId>`) so a replica hears only what its own
 * subscribers follow. `test/pubsub.contract.ts` is the suite every implementation passes.
 */
export interface RealtimePubSub {
  /** Best effort and never blocking the caller for long: realtime must not hold up the event bus. */
  publish(channel: string, message: RealtimeMessage): Promise<void>;
  /** Resolves once messages published from now on reach `listener`; the result unsubscribes. */
  subscribe(channel: string, listener: RealtimeListener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
