// Payments' outgoing events, each enqueued in the transaction that changed the payment (after the
// statement that locked its row). aggregateId = order id, so one order's saga events stay in order.
import { enqueueEvent, type SqlTx } from '@mp/events';
import type { PaymentFailureReason } from '../generated/prisma/client.ts';
import type { PaymentRow } from '../repositories/payment.repository.ts';

type Ref = Pick<PaymentRow, 'id' | 'orderId'>;
type Charged = Ref & Pick<PaymentRow, 'amountMinor' | 'currencyCode'>;

function amountOf(payment: Charged): { amountMinor: number; currencyCode: string } {
  if (payment.amountMinor === null || payment.currencyCode === null) {
    throw new Error(`Payment "${payment.id}" has no amount yet (order.placed not seen)`);
  }
  // Exact: amounts come from order.placed, whose schema caps them at Number.MAX_SAFE_INTEGER.
  return { amountMinor: Number(payment.amountMinor), currencyCode: payment.currencyCode };
}

export async function enqueueAuthorized(tx: SqlTx, payment: Charged): Promise<void> {
  await enqueueEvent(tx, 'payment.authorized', payment.orderId, {
    paymentId: payment.id,
    orderId: payment.orderId,
    ...amountOf(payment),
  });
}

export async function enqueueFailed(tx: SqlTx, payment: Ref, reason: PaymentFailureReason): Promise<void> {
  await enqueueEvent(tx, 'payment.failed', payment.orderId, {
    paymentId: payment.id,
    orderId: payment.orderId,
    reason,
  });
}

export async function enqueueCaptured(tx: SqlTx, payment: Charged): Promise<void> {
  await enqueueEvent(tx, 'payment.captured', payment.orderId, {
    paymentId: payment.id,
    orderId: payment.orderId,
    ...amountOf(payment),
  });
}

export async function enqueueVoided(tx: SqlTx, payment: Ref): Promise<void> {
  await enqueueEvent(tx, 'payment.voided', payment.orderId, {
    paymentId: payment.id,
    orderId: payment.orderId,
  });
}

export async function enqueueRefunded(tx: SqlTx, payment: Charged): Promise<void> {
  await enqueueEvent(tx, 'payment.refunded', payment.orderId, {
    paymentId: payment.id,
    orderId: payment.orderId,
    ...amountOf(payment),
  });
}
