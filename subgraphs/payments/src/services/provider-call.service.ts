// One claimed provider call, start to finish: decide from the payment whether (and how) to call the
// provider, call it OUTSIDE any transaction, then record the outcome, the payment's new status and its
// event in one transaction. The call's id is its idempotency key on every attempt.
import type { Logger } from '@mp/kit';
import {
  enqueueAuthorized,
  enqueueCaptured,
  enqueueFailed,
  enqueueRefunded,
  enqueueVoided,
} from '../events/payment-events.ts';
import type { PaymentFailureReason, Prisma, PrismaClient } from '../generated/prisma/client.ts';
import type { PaymentProvider, ProviderResult } from '../provider/payment-provider.ts';
import * as payments from '../repositories/payment.repository.ts';
import type { PaymentRow } from '../repositories/payment.repository.ts';
import * as calls from '../repositories/provider-call.repository.ts';
import type { ProviderCallRow } from '../repositories/provider-call.repository.ts';
import { retryDelayMs, type RetryPolicy } from './retry-policy.ts';

type Tx = Prisma.TransactionClient;

export interface CallContext {
  prisma: PrismaClient;
  provider: PaymentProvider;
  retry: RetryPolicy;
  log: Logger;
  /** Aborted when the worker stops: a call cut short is given back, not counted as an outcome. */
  signal: AbortSignal;
}

/** The result of a provider call, with any authorization it returned. */
type Result = ProviderResult<{ id: string } | unknown>;

/** What to do with a claimed call, decided from the payment as it is now. */
type Step =
  | { kind: 'call'; run: (provider: PaymentProvider) => Promise<Result> }
  /** No provider call: settle the call (and maybe the payment) in a transaction; true = requested another. */
  | { kind: 'settle'; settle: (tx: Tx, payment: PaymentRow) => Promise<boolean> }
  /** Not yet: another call of the payment must finish first. */
  | { kind: 'wait'; reason: string };

function skip(call: ProviderCallRow, reason: string): Step {
  return {
    kind: 'settle',
    settle: async (tx) => {
      await calls.finish(tx, call.id, 'FAILED', reason);
      return false;
    },
  };
}

async function planStep(ctx: CallContext, call: ProviderCallRow, payment: PaymentRow): Promise<Step> {
  const key = call.id;
  const authorizationId = payment.providerAuthorizationId;
  switch (call.operation) {
    case 'AUTHORIZE': {
      if (payment.status !== 'PENDING')
        return skip(call, `Nothing to authorize: payment is ${payment.status}`);
      if (payment.cancelRequested && call.attempts > 1) {
        // Cancelled while retrying: authorizing now would put a new hold on the card only to void it.
        // An earlier attempt may have authorized after all (a timeout), so release by reference.
        return {
          kind: 'settle',
          settle: async (tx, locked) => {
            await calls.finish(tx, call.id, 'FAILED', 'Cancelled while retrying');
            return calls.request(tx, locked.id, 'VOID');
          },
        };
      }
      if (payment.cancelRequested && call.attempts === 1) {
        // Cancelled before any attempt reached the provider: nothing can be held, so no call at all.
        return {
          kind: 'settle',
          settle: async (tx, locked) => {
            await calls.finish(tx, call.id, 'FAILED', 'Cancelled before the first attempt');
            await payments.update(tx, locked.id, { status: 'VOIDED' });
            await enqueueVoided(tx, locked);
            return false;
          },
        };
      }
      const { amountMinor, currencyCode, token } = payment;
      if (amountMinor === null || currencyCode === null || token === null) {
        return skip(call, 'Nothing to authorize: order.placed not seen');
      }
      return {
        kind: 'call',
        run: (provider) =>
          provider.authorize({
            idempotencyKey: key,
            amountMinor: Number(amountMinor),
            currencyCode,
            token,
            reference: payment.orderId,
          }),
      };
    }
    case 'CAPTURE':
      if (payment.status !== 'AUTHORIZED' || authorizationId === null) {
        return skip(call, `Nothing to capture: payment is ${payment.status}`);
      }
      return { kind: 'call', run: (provider) => provider.capture({ idempotencyKey: key, authorizationId }) };
    case 'VOID':
      if (!['PENDING', 'AUTHORIZED', 'FAILED'].includes(payment.status)) {
        return skip(call, `Nothing to void: payment is ${payment.status}`);
      }
      return {
        kind: 'call',
        run: (provider) =>
          provider.void({ idempotencyKey: key, authorizationId, reference: payment.orderId }),
      };
    case 'REFUND': {
      if (payment.status === 'CAPTURED' && authorizationId !== null) {
        return { kind: 'call', run: (provider) => provider.refund({ idempotencyKey: key, authorizationId }) };
      }
      if (payment.status !== 'AUTHORIZED')
        return skip(call, `Nothing to refund: payment is ${payment.status}`);
      const capture = (await calls.findByPayment(ctx.prisma, payment.id)).find(
        (c) => c.operation === 'CAPTURE',
      );
      if (capture?.status === 'PENDING') return { kind: 'wait', reason: 'Waiting for the capture to finish' };
      // Never captured: release the hold instead.
      return {
        kind: 'settle',
        settle: async (tx, locked) => {
          await calls.finish(tx, call.id, 'FAILED', 'Never captured; voiding instead');
          return calls.request(tx, locked.id, 'VOID');
        },
      };
    }
  }
}

/**
 * Makes one claimed call. Returns true when the outcome requested another call (the worker then looks
 * for due calls at once).
 */
export async function processCall(ctx: CallContext, call: ProviderCallRow): Promise<boolean> {
  const payment = await payments.findById(ctx.prisma, call.paymentId);
  if (!payment) throw new Error(`Provider call ${call.id} has no payment ${call.paymentId}`);
  const step = await planStep(ctx, call, payment);
  if (step.kind === 'wait') {
    await calls.retryLater(ctx.prisma, call.id, ctx.retry.baseMs, step.reason);
    return false;
  }
  if (step.kind === 'settle') {
    return ctx.prisma.$transaction(async (tx) => {
      const locked = await lockPending(tx, call);
      if (!locked) return false;
      // The step was planned from the payment as read before the lock, and another call of the same
      // payment may have settled since: a capture that succeeded while a refund was concluding "never
      // captured, void instead" would leave the buyer charged. Plan again from the payment as it is.
      if (locked.payment.status !== payment.status) {
        await calls.retryLater(tx, call.id, 0, `Payment became ${locked.payment.status} while planning`);
        return true;
      }
      return step.settle(tx, locked.payment);
    });
  }
  const result = await step.run(ctx.provider);
  if (ctx.signal.aborted && result.kind === 'transient') {
    // Stopping: whether the provider acted is unknown; the next start repeats the call with its key.
    await calls.release(ctx.prisma, call.id);
    return false;
  }
  return ctx.prisma.$transaction((tx) => recordResult(ctx, tx, call, result));
}

/** The call and its payment, locked, if the call is still waiting for an outcome. */
async function lockPending(tx: Tx, call: ProviderCallRow) {
  const current = await calls.lockById(tx, call.id);
  // Settled meanwhile by a worker that claimed it after our lease ran out: its outcome stands.
  if (!current || current.status !== 'PENDING') return null;
  const payment = await payments.lockById(tx, call.paymentId);
  return payment ? { current, payment } : null;
}

async function recordResult(
  ctx: CallContext,
  tx: Tx,
  call: ProviderCallRow,
  result: Result,
): Promise<boolean> {
  const locked = await lockPending(tx, call);
  if (!locked) return false;
  const { current, payment } = locked;
  const log = ctx.log.child({ callId: call.id, operation: call.operation, orderId: payment.orderId });
  if (result.kind === 'transient') {
    // Another worker claimed the call since (our lease ran out): its attempt is the one that counts.
    if (current.attempts !== call.attempts) return false;
    if (call.operation === 'AUTHORIZE' && call.attempts >= ctx.retry.maxAuthorizeAttempts) {
      log.warn({ attempts: call.attempts, error: result.message }, 'provider unavailable; payment failed');
      await calls.finish(tx, call.id, 'FAILED', result.message);
      await fail(tx, payment, 'PROVIDER_UNAVAILABLE');
      // A timed-out attempt may have authorized after all: release whatever the provider holds.
      return calls.request(tx, payment.id, 'VOID');
    }
    const delay = retryDelayMs(ctx.retry, call.attempts);
    log.warn({ attempts: call.attempts, retryInMs: delay, error: result.message }, 'provider call failed');
    await calls.retryLater(tx, call.id, delay, result.message);
    return false;
  }
  if (result.kind === 'success') {
    await calls.finish(tx, call.id, 'SUCCEEDED');
    return onSuccess(tx, call, payment, result.value, log);
  }
  return onRefusal(tx, call, payment, result, log);
}

async function fail(tx: Tx, payment: PaymentRow, reason: PaymentFailureReason): Promise<void> {
  await payments.update(tx, payment.id, { status: 'FAILED', failureReason: reason });
  await enqueueFailed(tx, payment, reason);
}

async function onSuccess(
  tx: Tx,
  call: ProviderCallRow,
  payment: PaymentRow,
  value: unknown,
  log: Logger,
): Promise<boolean> {
  switch (call.operation) {
    case 'AUTHORIZE': {
      const authorizationId = (value as { id: string }).id;
      if (payment.status !== 'PENDING') {
        log.error({ status: payment.status }, 'authorized a payment that was no longer pending; voiding it');
        await payments.update(tx, payment.id, { providerAuthorizationId: authorizationId });
        return calls.request(tx, payment.id, 'VOID');
      }
      const held = await payments.update(tx, payment.id, {
        status: 'AUTHORIZED',
        providerAuthorizationId: authorizationId,
      });
      // Cancelled while the authorization was in flight: release it instead of announcing it.
      if (payment.cancelRequested) return calls.request(tx, payment.id, 'VOID');
      await enqueueAuthorized(tx, held);
      return false;
    }
    case 'CAPTURE':
      await payments.update(tx, payment.id, { status: 'CAPTURED' });
      await enqueueCaptured(tx, payment);
      return payment.cancelRequested ? calls.request(tx, payment.id, 'REFUND') : false;
    case 'VOID':
      return settleVoid(tx, payment);
    case 'REFUND':
      await payments.update(tx, payment.id, { status: 'REFUNDED' });
      await enqueueRefunded(tx, payment);
      return false;
  }
}

/** A released hold (or none to release): the payment is VOIDED, unless it already FAILED. */
async function settleVoid(tx: Tx, payment: PaymentRow): Promise<boolean> {
  if (payment.status === 'PENDING' || payment.status === 'AUTHORIZED') {
    await payments.update(tx, payment.id, { status: 'VOIDED' });
    await enqueueVoided(tx, payment);
  }
  return false;
}

async function onRefusal(
  tx: Tx,
  call: ProviderCallRow,
  payment: PaymentRow,
  result: Extract<Result, { kind: 'declined' | 'invalid' }>,
  log: Logger,
): Promise<boolean> {
  if (call.operation === 'AUTHORIZE') {
    await calls.finish(tx, call.id, 'FAILED', result.message);
    await fail(tx, payment, result.kind === 'declined' ? 'DECLINED' : 'INVALID_PAYMENT_METHOD');
    if (result.kind === 'invalid' && result.status !== 400)
      log.error({ error: result.message }, 'authorization refused');
    return false;
  }
  if (call.operation === 'VOID' && result.kind === 'invalid' && result.status === 404) {
    // The provider never made that authorization: nothing is held.
    await calls.finish(tx, call.id, 'SUCCEEDED', result.message);
    return settleVoid(tx, payment);
  }
  // Capture, void or refund refused for good (e.g. the authorization expired): money may be held or
  // charged wrongly, which needs a person; the payment keeps its status.
  log.error({ error: result.message, status: payment.status }, 'provider refused a call that must happen');
  await calls.finish(tx, call.id, 'FAILED', result.message);
  return false;
}
