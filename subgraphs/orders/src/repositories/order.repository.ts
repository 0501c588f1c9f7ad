import {
  Prisma,
  type OrderCancelReason,
  type OrderStatus,
  type PrismaClient,
  type SellerOrderStatus,
} from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface OrderRow {
  id: string;
  buyerId: string;
  status: OrderStatus;
  cancelReason: OrderCancelReason | null;
  idempotencyKey: string;
  requestHash: string;
  currencyCode: string;
  totalMinor: bigint;
  shippingAddress: Prisma.JsonValue;
  createdAt: Date;
  updatedAt: Date;
}

export interface SellerOrderRow {
  id: string;
  orderId: string;
  sellerId: string;
  status: SellerOrderStatus;
  subtotalMinor: bigint;
  createdAt: Date;
}

export interface OrderItemRow {
  orderId: string;
  sellerOrderId: string;
  sellerId: string;
  position: number;
  productId: string;
  title: string;
  quantity: number;
  unitPriceMinor: bigint;
  currencyCode: string;
}

/** A position in "newest first" order: what a cursor points at. */
export interface Position {
  createdAt: Date;
  id: string;
}

const ORDER_SELECT = {
  id: true,
  buyerId: true,
  status: true,
  cancelReason: true,
  idempotencyKey: true,
  requestHash: true,
  currencyCode: true,
  totalMinor: true,
  shippingAddress: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** ORDER_SELECT for raw statements (row locks, UPDATE … RETURNING). */
const ORDER_COLUMNS = Prisma.sql`id::text, buyer_id AS "buyerId", status::text AS status,
  cancel_reason::text AS "cancelReason", idempotency_key AS "idempotencyKey", request_hash AS "requestHash",
  currency_code AS "currencyCode", total_minor AS "totalMinor", shipping_address AS "shippingAddress",
  created_at AS "createdAt", updated_at AS "updatedAt"`;

const SELLER_ORDER_SELECT = {
  id: true,
  orderId: true,
  sellerId: true,
  status: true,
  subtotalMinor: true,
  createdAt: true,
} as const;

export interface NewOrder {
  order: Omit<OrderRow, 'createdAt' | 'updatedAt' | 'cancelReason' | 'status'>;
  sellerOrders: Omit<SellerOrderRow, 'createdAt' | 'status' | 'orderId'>[];
  items: (Omit<OrderItemRow, 'orderId' | 'sellerId' | 'currencyCode'> & { id: string })[];
}

export async function create(tx: Prisma.TransactionClient, input: NewOrder): Promise<OrderRow> {
  const order = await tx.order.create({
    data: { ...input.order, status: 'PENDING', shippingAddress: input.order.shippingAddress ?? {} },
    select: ORDER_SELECT,
  });
  await tx.sellerOrder.createMany({
    data: input.sellerOrders.map((s) => ({ ...s, orderId: order.id, status: 'PENDING' as const })),
  });
  await tx.orderItem.createMany({ data: input.items.map((i) => ({ ...i, orderId: order.id })) });
  return order;
}

export function findByIds(db: Db, ids: readonly string[]): Promise<OrderRow[]> {
  return db.order.findMany({ where: { id: { in: uuids(ids) } }, select: ORDER_SELECT });
}

export function findByIdempotencyKey(
  db: Db,
  buyerId: string,
  idempotencyKey: string,
): Promise<OrderRow | null> {
  return db.order.findUnique({
    where: { buyerId_idempotencyKey: { buyerId, idempotencyKey } },
    select: ORDER_SELECT,
  });
}

/** A buyer's orders after `after` (newest first), `limit` of them. */
export function findByBuyer(
  db: Db,
  buyerId: string,
  after: Position | null,
  limit: number,
): Promise<OrderRow[]> {
  return db.order.findMany({
    where: { buyerId, ...(after ? beforePosition(after) : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: ORDER_SELECT,
  });
}

export function countByBuyer(db: Db, buyerId: string): Promise<number> {
  return db.order.count({ where: { buyerId } });
}

export function findSellerOrdersBySeller(
  db: Db,
  sellerId: string,
  after: Position | null,
  limit: number,
): Promise<SellerOrderRow[]> {
  return db.sellerOrder.findMany({
    where: { sellerId, ...(after ? beforePosition(after) : {}) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: SELLER_ORDER_SELECT,
  });
}

export function countSellerOrdersBySeller(db: Db, sellerId: string): Promise<number> {
  return db.sellerOrder.count({ where: { sellerId } });
}

export function findSellerOrdersByIds(db: Db, ids: readonly string[]): Promise<SellerOrderRow[]> {
  return db.sellerOrder.findMany({ where: { id: { in: uuids(ids) } }, select: SELLER_ORDER_SELECT });
}

export function findSellerOrdersByOrderIds(db: Db, orderIds: readonly string[]): Promise<SellerOrderRow[]> {
  return db.sellerOrder.findMany({
    where: { orderId: { in: uuids(orderIds) } },
    orderBy: { sellerId: 'asc' },
    select: SELLER_ORDER_SELECT,
  });
}

export async function findItemsByOrderIds(db: Db, orderIds: readonly string[]): Promise<OrderItemRow[]> {
  const rows = await db.orderItem.findMany({
    where: { orderId: { in: uuids(orderIds) } },
    orderBy: [{ orderId: 'asc' }, { position: 'asc' }],
    select: {
      orderId: true,
      sellerOrderId: true,
      position: true,
      productId: true,
      title: true,
      quantity: true,
      unitPriceMinor: true,
      order: { select: { currencyCode: true } },
      sellerOrder: { select: { sellerId: true } },
    },
  });
  return rows.map(({ order, sellerOrder, ...item }) => ({
    ...item,
    currencyCode: order.currencyCode,
    sellerId: sellerOrder.sellerId,
  }));
}

/**
 * Moves an order from one of `from` to `to` in one conditional statement; returns the order when it
 * moved, null when it was not in any of `from` (another event got there first).
 */
export async function transition(
  tx: Prisma.TransactionClient,
  id: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  cancelReason: OrderCancelReason | null = null,
): Promise<OrderRow | null> {
  const rows = await tx.$queryRaw<OrderRow[]>`
    UPDATE orders SET status = ${to}::"OrderStatus", cancel_reason = ${cancelReason}::"OrderCancelReason",
                      updated_at = now()
     WHERE id = ${id}::uuid AND status::text = ANY(${[...from]}::text[])
    RETURNING ${ORDER_COLUMNS}`;
  return rows[0] ?? null;
}

/** Sets the status of an order's seller orders that are in one of `from`; returns how many moved. */
export async function transitionSellerOrders(
  tx: Prisma.TransactionClient,
  where: { orderId: string } | { id: string },
  from: readonly SellerOrderStatus[],
  to: SellerOrderStatus,
): Promise<number> {
  const moved = await tx.sellerOrder.updateMany({
    where: { ...where, status: { in: [...from] } },
    data: { status: to },
  });
  return moved.count;
}

/** Reads an order and locks its row until the transaction ends, so its status and parts change together. */
export async function lock(tx: Prisma.TransactionClient, id: string): Promise<OrderRow | null> {
  const rows = await tx.$queryRaw<OrderRow[]>`
    SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

function beforePosition(after: Position) {
  return {
    OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are uuids here; anything else cannot match, and must not reach a uuid column as a cast error. */
export function uuids(ids: readonly string[]): string[] {
  return ids.filter((id) => UUID.test(id));
}
