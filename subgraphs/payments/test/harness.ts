// Shared by the payments integration tests: a sandbox provider (its own HTTP service, journaled so it can
// be restarted), the payments subgraph pointed at it, a recorder of the payment events it emits, and
// envelopes of the saga events it consumes.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EventData, EventEnvelope, EventType } from '@mp/events';
import { startTestSubgraph, testEnvelope, type TestSubgraph } from '@mp/testkit';
import { expect, inject, vi } from 'vitest';
// A workspace dependency the package does not declare yet (see README: tests); resolved by path.
import {
  startPaymentSandbox,
  type Authorization,
  type PaymentSandbox,
  type SandboxRequest,
} from '@mp/payment-sandbox';
import { openDb, type PaymentsDb } from '../src/db.ts';
import { paymentsSubgraph } from '../src/subgraph.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export const PROVIDER_API_KEY = 'payments-test-provider-key';

const PAYMENT_EVENTS = [
  'payment.authorized',
  'payment.failed',
  'payment.captured',
  'payment.voided',
  'payment.refunded',
] as const satisfies readonly EventType[];

/**
 * Small backoffs so the retry paths run in a test's time; a timeout generous enough for a loaded
 * machine (files that exercise timeouts set their own).
 */
const FAST_ENV = {
  PAYMENT_PROVIDER_TIMEOUT_MS: '1000',
  PAYMENT_MAX_ATTEMPTS: '3',
  PAYMENT_RETRY_BASE_MS: '20',
  PAYMENT_RETRY_CAP_MS: '100',
  PAYMENT_WORKER_POLL_MS: '20',
  PAYMENT_CALL_LEASE_MS: '3000',
};

export interface Harness {
  subgraph: TestSubgraph;
  db: PaymentsDb;
  sandbox: () => PaymentSandbox;
  /** The payment events the subgraph published, in delivery order. */
  events: EventEnvelope[];
  publish: (...events: EventEnvelope[]) => Promise<void>;
  stopProvider: () => Promise<void>;
  /** Starts the provider again on the same port with the same journal (it remembers everything). */
  startProvider: () => Promise<void>;
  stop: () => Promise<void>;
}

export async function startHarness(
  options: { env?: Record<string, string>; unavailableDelayMs?: number } = {},
): Promise<Harness> {
  const dir = mkdtempSync(path.join(tmpdir(), 'payments-provider-'));
  const startSandbox = (port: number) =>
    startPaymentSandbox({
      port,
      apiKey: PROVIDER_API_KEY,
      dataFile: path.join(dir, 'sandbox.ndjson'),
      unavailableDelayMs: options.unavailableDelayMs ?? 0,
    });
  let sandbox: PaymentSandbox | null = await startSandbox(0);
  const port = sandbox.port;
  const subgraph = await startTestSubgraph(paymentsSubgraph, inject('postgresAdminUrl'), {
    env: {
      PAYMENT_PROVIDER_URL: sandbox.url,
      PAYMENT_PROVIDER_API_KEY: PROVIDER_API_KEY,
      ...FAST_ENV,
      ...options.env,
    },
  });
  const db = openDb(subgraph.database.url);
  const events: EventEnvelope[] = [];
  const recorder = subgraph.bus.subscribe('test-recorder', PAYMENT_EVENTS, async (batch) => {
    events.push(...batch);
  });
  await Promise.all([recorder.ready, subgraph.running.ready]);
  return {
    subgraph,
    db,
    sandbox: () => {
      if (!sandbox) throw new Error('the provider is stopped');
      return sandbox;
    },
    events,
    publish: (...envelopes) => subgraph.bus.publish(envelopes),
    async stopProvider() {
      await sandbox?.stop();
      sandbox = null;
    },
    async startProvider() {
      sandbox ??= await startSandbox(port);
    },
    async stop() {
      await recorder.unsubscribe();
      await subgraph.stop();
      await db.close();
      await sandbox?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const buyer = { userId: 'buyer-ada', scopes: ['buyer' as const] };
export const otherBuyer = { userId: 'buyer-bob', scopes: ['buyer' as const] };
export const admin = { userId: 'admin-1', scopes: ['admin' as const] };

export const newOrderId = () => `order-${randomUUID()}`;

export function orderPlaced(
  orderId: string,
  overrides: Partial<EventData<'order.placed'>> = {},
): EventEnvelope<'order.placed'> {
  return testEnvelope('order.placed', orderId, {
    orderId,
    buyerId: buyer.userId,
    currencyCode: 'EUR',
    totalMinor: 12_345,
    paymentToken: 'tok_visa',
    sellerOrders: [
      {
        sellerOrderId: `${orderId}-so1`,
        sellerId: 'seller-1',
        subtotalMinor: 12_345,
        items: [{ productId: 'product-1', quantity: 1, unitPriceMinor: 12_345 }],
      },
    ],
    ...overrides,
  });
}

export const stockReserved = (orderId: string) =>
  testEnvelope('stock.reserved', orderId, { orderId, lines: [{ productId: 'product-1', quantity: 1 }] });

export const stockRejected = (orderId: string) =>
  testEnvelope('stock.rejected', orderId, { orderId, reason: 'OUT_OF_STOCK', productIds: ['product-1'] });

export const orderCancelled = (orderId: string, previousStatus: 'PENDING' | 'CONFIRMED' = 'CONFIRMED') =>
  testEnvelope('order.cancelled', orderId, {
    orderId,
    buyerId: buyer.userId,
    reason: 'BUYER_CANCELLED',
    previousStatus,
  });

export function shipmentShipped(orderId: string, n = 1): EventEnvelope<'shipment.shipped'> {
  const shipmentId = `${orderId}-shipment-${n}`;
  return testEnvelope('shipment.shipped', shipmentId, {
    shipmentId,
    orderId,
    sellerOrderId: `${orderId}-so${n}`,
    sellerId: `seller-${n}`,
    buyerId: buyer.userId,
    carrier: 'DHL',
    trackingNumber: `TRACK-${n}`,
  });
}

/** The payment events of one order, as types in delivery order. */
export function eventTypesOf(h: Harness, orderId: string): string[] {
  return h.events.filter((e) => e.aggregateId === orderId).map((e) => e.type);
}

/** Waits until the order's events are exactly `types` (in order), and returns them. */
export async function expectEvents(h: Harness, orderId: string, types: string[]): Promise<EventEnvelope[]> {
  await vi.waitFor(() => expect(eventTypesOf(h, orderId)).toEqual(types), { timeout: 8_000, interval: 20 });
  return h.events.filter((e) => e.aggregateId === orderId);
}

/** Lets the worker and relay run a while, so a test can show that something did NOT happen. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

export function paymentOf(h: Harness, orderId: string) {
  return h.db.prisma.payment.findUnique({
    where: { orderId },
    select: {
      id: true,
      status: true,
      failureReason: true,
      providerAuthorizationId: true,
      cancelRequested: true,
    },
  });
}

export async function callsOf(h: Harness, orderId: string) {
  return h.db.prisma.providerCall.findMany({
    where: { payment: { orderId } },
    orderBy: { createdAt: 'asc' },
    select: { id: true, operation: true, status: true, attempts: true, lastError: true },
  });
}

/** What the provider holds for an order, read through its own API. */
export async function authorizationsAt(h: Harness, orderId: string): Promise<Authorization[]> {
  const response = await fetch(
    `${h.sandbox().url}/v1/authorizations?reference=${encodeURIComponent(orderId)}`,
    {
      headers: { authorization: `Bearer ${PROVIDER_API_KEY}` },
    },
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Authorization[] }).data;
}

/** The requests the provider answered with one idempotency key. */
export function providerRequestsWithKey(h: Harness, key: string): SandboxRequest[] {
  return h
    .sandbox()
    .requests()
    .filter((r) => r.idempotencyKey === key);
}
