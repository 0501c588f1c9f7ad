import { toMoney } from '@mp/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as paymentQueries from '../services/payment-query.service.ts';

export const resolvers: Resolvers = {
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    payment: (order, _, ctx) => paymentQueries.paymentOfOrder(ctx, order.id),
  },
  Payment: {
    __resolveReference: (ref, ctx) => paymentQueries.findVisiblePayment(ctx, ref.id),
    amount: (payment) => {
      // Only payments that saw order.placed are visible, and those have an amount (CHECK constraint).
      if (payment.amountMinor === null || payment.currencyCode === null) {
        throw new Error(`Payment "${payment.id}" has no amount`);
      }
      return toMoney(Number(payment.amountMinor), payment.currencyCode);
    },
    createdAt: (payment) => payment.createdAt.toISOString(),
    updatedAt: (payment) => payment.updatedAt.toISOString(),
  },
};
