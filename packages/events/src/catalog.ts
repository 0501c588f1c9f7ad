import { z } from 'zod';

const sellerStatus = z.enum(['PENDING', 'ACTIVE', 'SUSPENDED']);

/** A price as stored: integer minor units (cents for USD) and an ISO 4217 code. */
const price = z.object({
  amountMinor: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  currencyCode: z.string().regex(/^[A-Z]{3}$/),
});

/** The full listing state of a product after a change, so a consumer can simply overwrite its copy. */
const productSnapshot = z.object({
  productId: z.string(),
  sellerId: z.string(),
  categoryId: z.string(),
  title: z.string(),
  price,
  stock: z.number().int().nonnegative(),
});

const id = z.string().min(1);
const minor = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const currencyCode = z.string().regex(/^[A-Z]{3}$/);
const quantity = z.number().int().positive();

/** One product line of an order: the unit price is the one the buyer agreed to at checkout. */
const orderLine = z.object({ productId: id, quantity, unitPriceMinor: minor });

/** Why an order ended CANCELLED. */
const ORDER_CANCEL_REASONS = [
  'OUT_OF_STOCK',
  'PRODUCT_UNAVAILABLE',
  'PAYMENT_DECLINED',
  'PAYMENT_FAILED',
  'BUYER_CANCELLED',
] as const;
const orderCancelReason = z.enum(ORDER_CANCEL_REASONS);

/** Why a payment failed: the provider declined, or it stayed unavailable through every retry. */
const PAYMENT_FAILURE_REASONS = ['DECLINED', 'PROVIDER_UNAVAILABLE', 'INVALID_PAYMENT_METHOD'] as const;

const SHIPMENT_STATUSES = [
  'PENDING',
  'LABEL_CREATED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'FAILED_ATTEMPT',
  'RETURNED',
  'CANCELLED',
] as const;
const shipmentStatus = z.enum(SHIPMENT_STATUSES);

/** Who a shipment belongs to: every shipment event carries it, so consumers need no lookup. */
const shipmentRef = {
  shipmentId: id,
  orderId: id,
  sellerOrderId: id,
  sellerId: id,
  buyerId: id,
};

const reviewRef = {
  reviewId: id,
  productId: id,
  sellerId: id,
  authorId: id,
  rating: z.number().int().min(1).max(5),
};

/**
 * Every event type that crosses a subgraph boundary: its current version, its payload schema, and the
 * topic of its aggregate family (`<producer>.<aggregate>`; the Kafka transport's topic name, partition
 * key = aggregateId). Producers and consumers both validate against this table, so a payload change is a
 * type error on both sides. Breaking changes bump `version` (and keep the old schema until no producer
 * emits it).
 */
export const eventCatalog = {
  'seller.created': {
    version: 1,
    topic: 'sellers.seller',
    schema: z.object({ sellerId: z.string(), ownerId: z.string(), name: z.string(), status: sellerStatus }),
  },
  'seller.status_changed': {
    version: 1,
    topic: 'sellers.seller',
    schema: z.object({
      sellerId: z.string(),
      ownerId: z.string(),
      status: sellerStatus,
      previousStatus: sellerStatus,
    }),
  },
  'user.registered': {
    version: 1,
    topic: 'users.user',
    schema: z.object({ userId: z.string(), email: z.string(), name: z.string() }),
  },
  'product.created': {
    version: 1,
    topic: 'catalog.product',
    schema: productSnapshot,
  },
  'product.updated': {
    version: 1,
    topic: 'catalog.product',
    schema: productSnapshot,
  },
  'product.stock_changed': {
    version: 1,
    topic: 'catalog.product',
    schema: z.object({
      productId: z.string(),
      sellerId: z.string(),
      stock: z.number().int().nonnegative(),
      previousStock: z.number().int().nonnegative(),
    }),
  },
  // The order saga (ARCHITECTURE §4). Order, stock and payment events are keyed by the order id, so
  // each order's events stay in order within a topic.
  'order.placed': {
    version: 1,
    topic: 'orders.order',
    schema: z.object({
      orderId: id,
      buyerId: id,
      currencyCode,
      totalMinor: minor,
      /** The provider token the buyer paid with (the sandbox's `tok_visa`, …); never card data. */
      paymentToken: z.string().min(1),
      sellerOrders: z
        .array(
          z.object({
            sellerOrderId: id,
            sellerId: id,
            subtotalMinor: minor,
            items: z.array(orderLine).min(1),
          }),
        )
        .min(1),
    }),
  },
  'order.confirmed': {
    version: 1,
    topic: 'orders.order',
    schema: z.object({
      orderId: id,
      buyerId: id,
      sellerOrders: z
        .array(
          z.object({
            sellerOrderId: id,
            sellerId: id,
            items: z.array(z.object({ productId: id, quantity })).min(1),
          }),
        )
        .min(1),
    }),
  },
  'order.cancelled': {
    version: 1,
    topic: 'orders.order',
    schema: z.object({
      orderId: id,
      buyerId: id,
      reason: orderCancelReason,
      previousStatus: z.enum(['PENDING', 'CONFIRMED']),
    }),
  },
  'order.completed': {
    version: 1,
    topic: 'orders.order',
    schema: z.object({ orderId: id, buyerId: id }),
  },
  'stock.reserved': {
    version: 1,
    topic: 'catalog.reservation',
    schema: z.object({ orderId: id, lines: z.array(z.object({ productId: id, quantity })).min(1) }),
  },
  'stock.rejected': {
    version: 1,
    topic: 'catalog.reservation',
    schema: z.object({
      orderId: id,
      reason: z.enum(['OUT_OF_STOCK', 'PRODUCT_UNAVAILABLE']),
      /** The lines that could not be reserved. */
      productIds: z.array(id).min(1),
    }),
  },
  'stock.released': {
    version: 1,
    topic: 'catalog.reservation',
    schema: z.object({ orderId: id, lines: z.array(z.object({ productId: id, quantity })).min(1) }),
  },
  'payment.authorized': {
    version: 1,
    topic: 'payments.payment',
    schema: z.object({ paymentId: id, orderId: id, amountMinor: minor, currencyCode }),
  },
  'payment.failed': {
    version: 1,
    topic: 'payments.payment',
    schema: z.object({ paymentId: id, orderId: id, reason: z.enum(PAYMENT_FAILURE_REASONS) }),
  },
  'payment.captured': {
    version: 1,
    topic: 'payments.payment',
    schema: z.object({ paymentId: id, orderId: id, amountMinor: minor, currencyCode }),
  },
  'payment.voided': {
    version: 1,
    topic: 'payments.payment',
    schema: z.object({ paymentId: id, orderId: id }),
  },
  'payment.refunded': {
    version: 1,
    topic: 'payments.payment',
    schema: z.object({ paymentId: id, orderId: id, amountMinor: minor, currencyCode }),
  },
  // Shipments are keyed by shipment id; every event names the order, seller order, seller and buyer.
  'shipment.created': {
    version: 1,
    topic: 'shipments.shipment',
    schema: z.object({ ...shipmentRef, productIds: z.array(id).min(1) }),
  },
  'shipment.shipped': {
    version: 1,
    topic: 'shipments.shipment',
    schema: z.object({ ...shipmentRef, carrier: z.string().min(1), trackingNumber: z.string().min(1) }),
  },
  /** Every tracking event, including the ones that leave the status as it was. */
  'shipment.tracking_recorded': {
    version: 1,
    topic: 'shipments.shipment',
    schema: z.object({
      ...shipmentRef,
      status: shipmentStatus,
      previousStatus: shipmentStatus,
      description: z.string(),
      location: z.string().nullable(),
      occurredAt: z.string(),
    }),
  },
  'shipment.delivered': {
    version: 1,
    topic: 'shipments.shipment',
    schema: z.object({ ...shipmentRef, productIds: z.array(id).min(1), deliveredAt: z.string() }),
  },
  'shipment.cancelled': {
    version: 1,
    topic: 'shipments.shipment',
    schema: z.object(shipmentRef),
  },
  'review.submitted': {
    version: 1,
    topic: 'reviews.review',
    schema: z.object({ ...reviewRef, status: z.enum(['PENDING', 'APPROVED']) }),
  },
  'review.approved': {
    version: 1,
    topic: 'reviews.review',
    schema: z.object(reviewRef),
  },
  'review.rejected': {
    version: 1,
    topic: 'reviews.review',
    schema: z.object(reviewRef),
  },
} as const;

export type EventType = keyof typeof eventCatalog;

export type EventData<T extends EventType> = z.infer<(typeof eventCatalog)[T]['schema']>;

/** The topic (aggregate family) of an event type: `sellers.seller`, `catalog.product`, … */
export type EventTopic = (typeof eventCatalog)[EventType]['topic'];

/** What travels on the bus: the same shape in the outbox, in memory and in Kafka message values. */
export interface EventEnvelope<T extends EventType = EventType> {
  /** A uuid, unique per event; consumers deduplicate on it. */
  id: string;
  type: T;
  version: number;
  /** ISO 8601 timestamp with milliseconds, set when the producer enqueued the event. */
  occurredAt: string;
  /** The partition key: events of one aggregate are delivered in the order they were enqueued. */
  aggregateId: string;
  data: EventData<T>;
}

/**
 * One envelope of any of the types in `T`, as a union discriminated by `type`: a handler of several
 * types narrows `event.data` with `switch (event.type)`.
 */
export type AnyEnvelope<T extends EventType = EventType> = T extends EventType ? EventEnvelope<T> : never;

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventCatalog, type);
}

export function topicOf(type: EventType): EventTopic {
  return eventCatalog[type].topic;
}
