// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { PaymentRow } from './repositories/payment.repository.ts';

export type PaymentModel = PaymentRow;
/** An Order entity as payments sees it: only the key; orders owns the rest. */
export interface OrderModel {
  id: string;
}

export const mappers = {
  Payment: '../mappers.ts#PaymentModel',
  Order: '../mappers.ts#OrderModel',
};
