import {
  Prisma,
  type PaymentFailureReason,
  type PaymentStatus,
  type PrismaClient,
} from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const paymentSelect = {
  id: true,
  orderId: true,
  buyerId: true,
  amountMinor: true,
  currencyCode: true,
  token: true,
  status: true,
  failureReason: true,
  providerAuthorizationId: true,
  orderPlaced: true,
  stockReserved: true,
  cancelRequested: true,
  createdAt: true,
  updatedAt: true,
} as const;

export interface PaymentRow {
  id: string;
  orderId: string;
  /** Null until order.placed was seen (as are amountMinor, currencyCode and token). */
  buyerId: string | null;
  amountMinor: bigint | null;
  currencyCode: string | null;
  token: string | null;
  status: PaymentStatus;
  failureReason: PaymentFailureReason | null;
  providerAuthorizationId: string | null;
  orderPlaced: boolean;
  stockReserved: boolean;
  cancelRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function findByIds(db: Db, ids: readonly string[]): Promise<PaymentRow[]> {
  return db.payment.findMany({ where: { id: { in: [...ids] } }, select: paymentSelect });
}

export function findByOrderIds(db: Db, orderIds: readonly string[]): Promise<PaymentRow[]> {
  return db.payment.findMany({ where: { orderId: { in: [...orderIds] } }, select: paymentSelect });
}

export function findById(db: Db, id: string): Promise<PaymentRow | null> {
  return db.payment.findUnique({ where: { id }, select: paymentSelect });
}

/** What an event teaches about an order's payment; absent fields stay as they are. */
export interface PaymentFacts {
  placed?: { buyerId: string; amountMinor: number; currencyCode: string; token: string };
  stockReserved?: true;
  cancelRequested?: true;
}

/** The columns of PaymentRow, for the raw statements that lock the row they read. */
const COLUMNS = Prisma.sql`
  id, order_id AS "orderId", buyer_id AS "buyerId", amount_minor AS "amountMinor",
  currency_code AS "currencyCode", token, status::text AS status, failure_reason::text AS "failureReason",
  provider_authorization_id AS "providerAuthorizationId", order_placed AS "orderPlaced",
  stock_reserved AS "stockReserved", cancel_requested AS "cancelRequested", created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/**
 * Creates the order's payment or records the facts on the existing one, in ONE statement that also
 * row-locks it until the transaction ends: events of one order arrive on several topics (so in
 * parallel transactions), and this makes their decisions take turns.
 */
export async function recordFacts(
  tx: Prisma.TransactionClient,
  id: string,
  orderId: string,
  facts: PaymentFacts,
): Promise<PaymentRow> {
  const placed = facts.placed ?? null;
  const rows = await tx.$queryRaw<PaymentRow[]>`
    INSERT INTO payments (id, order_id, buyer_id, amount_minor, currency_code, token, order_placed,
                          order_placed_at, stock_reserved, cancel_requested)
    VALUES (${id}, ${orderId}, ${placed?.buyerId ?? null}, ${placed?.amountMinor ?? null}::bigint,
            ${placed?.currencyCode ?? null}, ${placed?.token ?? null}, ${placed !== null},
            ${placed ? new Date() : null}::timestamptz, ${facts.stockReserved ?? false},
            ${facts.cancelRequested ?? false})
    ON CONFLICT (order_id) DO UPDATE SET
      buyer_id = COALESCE(payments.buyer_id, EXCLUDED.buyer_id),
      amount_minor = COALESCE(payments.amount_minor, EXCLUDED.amount_minor),
      currency_code = COALESCE(payments.currency_code, EXCLUDED.currency_code),
      token = COALESCE(payments.token, EXCLUDED.token),
      order_placed = payments.order_placed OR EXCLUDED.order_placed,
      order_placed_at = COALESCE(payments.order_placed_at, EXCLUDED.order_placed_at),
      stock_reserved = payments.stock_reserved OR EXCLUDED.stock_reserved,
      cancel_requested = payments.cancel_requested OR EXCLUDED.cancel_requested,
      updated_at = now()
    RETURNING ${COLUMNS}`;
  return rows[0]!;
}

/** The order's payment, row-locked until the transaction ends; null when none exists. */
export async function lockByOrderId(
  tx: Prisma.TransactionClient,
  orderId: string,
): Promise<PaymentRow | null> {
  const rows = await tx.$queryRaw<PaymentRow[]>`
    SELECT ${COLUMNS} FROM payments WHERE order_id = ${orderId} FOR UPDATE`;
  return rows[0] ?? null;
}

/** The payment, row-locked until the transaction ends. */
export async function lockById(tx: Prisma.TransactionClient, id: string): Promise<PaymentRow | null> {
  const rows = await tx.$queryRaw<PaymentRow[]>`
    SELECT ${COLUMNS} FROM payments WHERE id = ${id} FOR UPDATE`;
  return rows[0] ?? null;
}

export function update(
  tx: Prisma.TransactionClient,
  id: string,
  data: {
    status?: PaymentStatus;
    failureReason?: PaymentFailureReason | null;
    providerAuthorizationId?: string;
  },
): Promise<PaymentRow> {
  return tx.payment.update({ where: { id }, data, select: paymentSelect });
}
