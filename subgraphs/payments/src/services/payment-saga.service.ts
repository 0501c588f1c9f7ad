// What payments decides when the saga's events arrive. Decisions only write rows (the payment, the
// intent of a provider call, outbox events): the provider is called later by the worker, outside any
// consumer transaction. Each function starts by locking the order's payment row, so events of one
// order that arrive on different topics (in parallel transactions) take turns, in whatever order.
import { randomUUID } from 'node:crypto';
import type { EventData } from '@mp/events';
import type { Logger } from '@mp/kit';
import { enqueueVoided } from '../events/payment-events.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import * as payments from '../repositories/payment.repository.ts';
import type { PaymentFacts, PaymentRow } from '../repositories/payment.repository.ts';
import * as calls from '../repositories/provider-call.repository.ts';

type Tx = Prisma.TransactionClient;

function record(tx: Tx, orderId: string, facts: PaymentFacts): Promise<PaymentRow> {
  return payments.recordFacts(tx, randomUUID(), orderId, facts);
}

/** Authorization needs both: the order (amount, token) and its reserved stock; never after a cancel. */
async function requestAuthorizationIfReady(tx: Tx, payment: PaymentRow): Promise<void> {
  if (
    payment.orderPlaced &&
    payment.stockReserved &&
    !payment.cancelRequested &&
    payment.status === 'PENDING'
  ) {
    await calls.request(tx, payment.id, 'AUTHORIZE');
  }
}

/** `order.placed`: the payment learns its buyer, amount and card token. */
export async function recordOrderPlaced(tx: Tx, order: EventData<'order.placed'>): Promise<void> {
  const payment = await record(tx, order.orderId, {
    placed: {
      buyerId: order.buyerId,
      amountMinor: order.totalMinor,
      currencyCode: order.currencyCode,
      token: order.paymentToken,
    },
  });
  await requestAuthorizationIfReady(tx, payment);
}

/** `stock.reserved`: every line of the order is held, so its payment may be authorized. */
export async function recordStockReserved(tx: Tx, orderId: string): Promise<void> {
  const payment = await record(tx, orderId, { stockReserved: true });
  await requestAuthorizationIfReady(tx, payment);
}

/**
 * `stock.rejected` and `order.cancelled`: nothing may stay held or charged. Before any provider call
 * the payment is VOIDED at once; an authorization in flight is voided by the worker as soon as it
 * succeeds; a held amount is voided, a charged one refunded.
 */
export async function callOff(tx: Tx, orderId: string): Promise<void> {
  const payment = await record(tx, orderId, { cancelRequested: true });
  switch (payment.status) {
    case 'PENDING': {
      // Locks the call, so a worker cannot claim it meanwhile; a claimed one has attempts > 0.
      const authorize = await calls.lockOperation(tx, payment.id, 'AUTHORIZE');
      if (authorize && authorize.attempts > 0) return; // in flight: the worker voids after success
      if (authorize) await calls.finish(tx, authorize.id, 'FAILED', 'Cancelled before the first attempt');
      await payments.update(tx, payment.id, { status: 'VOIDED' });
      await enqueueVoided(tx, payment);
      return;
    }
    case 'AUTHORIZED': {
      // Locks the capture, so a worker cannot claim it meanwhile. One never attempted is dropped and
      // the hold voided (nothing was charged); one under way would make a void fail: refund after it.
      const capture = await calls.lockOperation(tx, payment.id, 'CAPTURE');
      const underWay = capture?.status === 'PENDING' && capture.attempts > 0;
      if (capture?.status === 'PENDING' && !underWay) {
        await calls.finish(tx, capture.id, 'FAILED', 'Cancelled before the first attempt');
      }
      await calls.request(tx, payment.id, underWay ? 'REFUND' : 'VOID');
      return;
    }
    case 'CAPTURED':
      await calls.request(tx, payment.id, 'REFUND');
      return;
    default:
      // FAILED, VOIDED, REFUNDED: nothing is held or charged.
      return;
  }
}

/**
 * `shipment.shipped`: the goods left, so the held amount is charged. Once per order: later shipments
 * of the same order find the capture already requested.
 */
export async function requestCapture(tx: Tx, orderId: string, log: Logger): Promise<void> {
  const payment = await payments.lockByOrderId(tx, orderId);
  if (!payment || payment.status !== 'AUTHORIZED' || payment.cancelRequested) {
    if (!payment || payment.status === 'PENDING') {
      log.warn(
        { orderId, status: payment?.status },
        'shipment shipped for an order with no authorized payment',
      );
    }
    return;
  }
  await calls.request(tx, payment.id, 'CAPTURE');
}
