import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  buyer,
  expectEvents,
  newOrderId,
  orderPlaced,
  otherBuyer,
  paymentOf,
  startHarness,
  stockReserved,
  type Harness,
} from './harness.ts';

let h: Harness;
/** Authorized, for `buyer`. */
let authorizedOrder: string;
let paymentId: string;
/** Declined, for `buyer`. */
let declinedOrder: string;
/** Only stock.reserved seen: no buyer or amount known yet. */
let unplacedOrder: string;

beforeAll(async () => {
  h = await startHarness();
  authorizedOrder = newOrderId();
  declinedOrder = newOrderId();
  unplacedOrder = newOrderId();
  await h.publish(
    orderPlaced(authorizedOrder, { totalMinor: 2_599, currencyCode: 'EUR' }),
    stockReserved(authorizedOrder),
    orderPlaced(declinedOrder, { paymentToken: 'tok_declined', totalMinor: 1_000, currencyCode: 'JPY' }),
    stockReserved(declinedOrder),
    stockReserved(unplacedOrder),
  );
  await expectEvents(h, authorizedOrder, ['payment.authorized']);
  await expectEvents(h, declinedOrder, ['payment.failed']);
  paymentId = (await paymentOf(h, authorizedOrder))!.id;
});
afterAll(async () => {
  await h?.stop();
});

const entities = (selection: string) =>
  `query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`;

const ORDER_PAYMENT = entities(`
  ... on Order { id payment { id status amount { amount currencyCode } failureReason createdAt updatedAt } }`);
const PAYMENT = entities('... on Payment { id status amount { amount currencyCode } }');

interface PaymentView {
  id: string;
  status: string;
  amount: { amount: string; currencyCode: string };
  failureReason?: string | null;
}

type Caller = typeof buyer | typeof admin | undefined;

async function orderPayments(as: Caller, ...orderIds: string[]): Promise<(PaymentView | null)[]> {
  const response = await h.subgraph.request<{ _entities: { id: string; payment: PaymentView | null }[] }>(
    ORDER_PAYMENT,
    { representations: orderIds.map((id) => ({ __typename: 'Order', id })) },
    as ? { as } : {},
  );
  expect(response.errors).toBeUndefined();
  expect(response.data!._entities.map((e) => e.id)).toEqual(orderIds);
  return response.data!._entities.map((e) => e.payment);
}

async function payments(as: Caller, ...ids: string[]): Promise<(PaymentView | null)[]> {
  const response = await h.subgraph.request<{ _entities: (PaymentView | null)[] }>(
    PAYMENT,
    { representations: ids.map((id) => ({ __typename: 'Payment', id })) },
    as ? { as } : {},
  );
  expect(response.errors).toBeUndefined();
  return response.data!._entities;
}

describe('Order.payment', () => {
  it('shows the buyer their order’s payment with its status and amount', async () => {
    const [payment] = await orderPayments(buyer, authorizedOrder);
    expect(payment).toEqual({
      id: paymentId,
      status: 'AUTHORIZED',
      amount: { amount: '25.99', currencyCode: 'EUR' },
      failureReason: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    });
  });

  it('shows why a payment failed, in the currency’s own minor unit', async () => {
    const [payment] = await orderPayments(buyer, declinedOrder);
    expect(payment).toMatchObject({
      status: 'FAILED',
      failureReason: 'DECLINED',
      amount: { amount: '1000', currencyCode: 'JPY' },
    });
  });

  it('shows admins any order’s payment', async () => {
    expect(await orderPayments(admin, authorizedOrder, declinedOrder)).toEqual([
      expect.objectContaining({ id: paymentId, status: 'AUTHORIZED' }),
      expect.objectContaining({ status: 'FAILED' }),
    ]);
  });

  it('is null for another buyer and for an anonymous caller', async () => {
    expect(await orderPayments(otherBuyer, authorizedOrder, declinedOrder)).toEqual([null, null]);
    expect(await orderPayments(undefined, authorizedOrder)).toEqual([null]);
  });

  it('is null while the order’s payment is unknown or incomplete, even for admins', async () => {
    expect(await orderPayments(admin, newOrderId(), unplacedOrder)).toEqual([null, null]);
  });

  it('reads the payments of many orders in one statement', async () => {
    const orderIds = [
      authorizedOrder,
      declinedOrder,
      unplacedOrder,
      ...Array.from({ length: 20 }, newOrderId),
    ];
    const before = await statementCount();
    const found = await orderPayments(admin, ...orderIds);
    expect(await statementCount()).toBe(before + 1);
    expect(found.filter((p) => p !== null)).toHaveLength(2);
  });
});

describe('Payment through _entities', () => {
  it('resolves a payment for its buyer and for admins only', async () => {
    const expected = {
      id: paymentId,
      status: 'AUTHORIZED',
      amount: { amount: '25.99', currencyCode: 'EUR' },
    };
    expect(await payments(buyer, paymentId)).toEqual([expected]);
    expect(await payments(admin, paymentId)).toEqual([expected]);
    expect(await payments(otherBuyer, paymentId)).toEqual([null]);
    expect(await payments(undefined, paymentId)).toEqual([null]);
  });

  it('is null for an unknown id, and batches many ids into one statement', async () => {
    const declinedId = (await paymentOf(h, declinedOrder))!.id;
    const unplacedId = (await paymentOf(h, unplacedOrder))!.id;
    const before = await statementCount();
    const found = await payments(admin, paymentId, 'no-such-payment', declinedId, unplacedId);
    expect(await statementCount()).toBe(before + 1);
    expect(found.map((p) => p?.status ?? null)).toEqual(['AUTHORIZED', null, 'FAILED', null]);
  });

  it('refuses a request that did not come through the gateway', async () => {
    const response = await h.subgraph.request(
      PAYMENT,
      { representations: [{ __typename: 'Payment', id: paymentId }] },
      { as: admin, credential: false },
    );
    expect(response.status).toBe(403);
    expect(response.data ?? null).toBeNull();
  });
});

/** `db_statements_total{database="payments"}`: request work only (the worker has its own pool). */
async function statementCount(): Promise<number> {
  const metrics = await (await fetch(h.subgraph.running.url.replace(/\/graphql$/, '/metrics'))).text();
  const match = /^db_statements_total\{database="payments"\} (\d+)$/m.exec(metrics);
  if (!match) throw new Error(`db_statements_total{database="payments"} is missing from /metrics`);
  return Number(match[1]);
}
