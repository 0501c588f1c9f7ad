import type { Context } from '../context.ts';
import type { PaymentRow } from '../repositories/payment.repository.ts';

/**
 * A payment is the order buyer's business (and admins'). One created by a stock event before
 * order.placed arrived has no buyer or amount yet: nobody sees it until then.
 */
export function canSee(ctx: Context, payment: PaymentRow): boolean {
  const identity = ctx.identity;
  if (!identity || !payment.orderPlaced) return false;
  return identity.userId === payment.buyerId || identity.scopes.includes('admin');
}

/** A payment by id, or null (also when it exists but the caller may not see it). */
export async function findVisiblePayment(ctx: Context, id: string): Promise<PaymentRow | null> {
  const payment = await ctx.loaders.paymentById.load(id);
  return payment && canSee(ctx, payment) ? payment : null;
}

/** The order's payment, or null when there is none yet or the caller may not see it. */
export async function paymentOfOrder(ctx: Context, orderId: string): Promise<PaymentRow | null> {
  const payment = await ctx.loaders.paymentByOrderId.load(orderId);
  return payment && canSee(ctx, payment) ? payment : null;
}
