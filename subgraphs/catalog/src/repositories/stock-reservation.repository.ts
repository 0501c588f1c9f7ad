// The SQL of stock reservations: the products' three stock buckets and the `stock_reservations` rows.
// No rules here (services/stock-reservation.service.ts decides); raw SQL where rows must be locked or
// several products change in one statement.
import {
  Prisma,
  type PrismaClient,
  type ReservationStatus,
  type SellerStatus,
} from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** Where a product's units are: available to order, held for unpaid orders, or sold. */
export type StockBucket = 'stock' | 'reserved' | 'sold';

export interface StockLine {
  productId: string;
  quantity: number;
}

export interface LockedProduct {
  id: string;
  sellerId: string;
  stock: number;
  reserved: number;
  sold: number;
  /** The shop's status in `seller_states`; null when catalog has not heard of the shop. */
  sellerStatus: SellerStatus | null;
}

interface RawLockedProduct {
  id: string;
  seller_id: string;
  stock: number;
  reserved: number;
  sold: number;
  seller_status: SellerStatus | null;
}

/**
 * Locks the existing products among `ids` (`FOR UPDATE`) until the transaction ends and returns them
 * with their shop's status. Rows are locked in id order (LockRows runs above the sort), so two
 * transactions locking overlapping sets wait for each other instead of deadlocking. Unknown ids are
 * simply absent from the result.
 */
export async function lockProducts(db: Db, ids: readonly string[]): Promise<LockedProduct[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<RawLockedProduct[]>`
    SELECT p.id, p.seller_id, p.stock, p.reserved, p.sold, s.status::text AS seller_status
      FROM products p
      LEFT JOIN seller_states s ON s.seller_id = p.seller_id
     WHERE p.id = ANY(${[...ids]}::text[])
     ORDER BY p.id
       FOR UPDATE OF p`;
  return rows.map((row) => ({
    id: row.id,
    sellerId: row.seller_id,
    stock: Number(row.stock),
    reserved: Number(row.reserved),
    sold: Number(row.sold),
    sellerStatus: row.seller_status,
  }));
}

export interface MovedProduct {
  id: string;
  sellerId: string;
  /** Units available after the move. */
  stock: number;
}

const BUCKET_COLUMN: Record<StockBucket, Prisma.Sql> = {
  stock: Prisma.raw('"stock"'),
  reserved: Prisma.raw('"reserved"'),
  sold: Prisma.raw('"sold"'),
};

/**
 * Moves each line's quantity from bucket `from` to bucket `to` in one statement, only where `from` holds
 * at least that many units; returns the products it changed (a product missing from the result had too
 * few). One line per product: lines naming a product twice must be summed first. `updated_at` changes
 * when the available stock does.
 */
export async function moveUnits(
  db: Db,
  from: StockBucket,
  to: StockBucket,
  lines: readonly StockLine[],
): Promise<MovedProduct[]> {
  if (lines.length === 0) return [];
  const source = BUCKET_COLUMN[from];
  const target = BUCKET_COLUMN[to];
  const stamp = from === 'stock' || to === 'stock' ? Prisma.sql`, updated_at = now()` : Prisma.empty;
  const rows = await db.$queryRaw<{ id: string; seller_id: string; stock: number }[]>`
    UPDATE products p
       SET ${source} = p.${source} - l.quantity,
           ${target} = p.${target} + l.quantity${stamp}
      FROM unnest(${lines.map((l) => l.productId)}::text[], ${lines.map((l) => l.quantity)}::int[])
           AS l(product_id, quantity)
     WHERE p.id = l.product_id
       AND p.${source} >= l.quantity
    RETURNING p.id, p.seller_id, p.stock`;
  return rows.map((row) => ({ id: row.id, sellerId: row.seller_id, stock: Number(row.stock) }));
}

export interface ReservationRow {
  productId: string;
  quantity: number;
  status: ReservationStatus;
}

/** True when the order has reservation rows of any status. */
export async function existsForOrder(db: Db, orderId: string): Promise<boolean> {
  const row = await db.stockReservation.findFirst({ where: { orderId }, select: { productId: true } });
  return row !== null;
}

/**
 * The order's reservations in one of `statuses`, locked (`FOR UPDATE`, in product id order) until the
 * transaction ends. Two transactions on one order therefore run one after the other, and the second
 * sees the statuses the first committed (READ COMMITTED re-checks the WHERE on the new row versions).
 */
export async function lockByOrder(
  db: Db,
  orderId: string,
  statuses: readonly ReservationStatus[],
): Promise<ReservationRow[]> {
  const rows = await db.$queryRaw<{ product_id: string; quantity: number; status: ReservationStatus }[]>`
    SELECT product_id, quantity, status::text AS status
      FROM stock_reservations
     WHERE order_id = ${orderId}
       AND status::text = ANY(${[...statuses]}::text[])
     ORDER BY product_id
       FOR UPDATE`;
  return rows.map((row) => ({
    productId: row.product_id,
    quantity: Number(row.quantity),
    status: row.status,
  }));
}

export function createMany(
  db: Db,
  orderId: string,
  lines: readonly StockLine[],
  status: ReservationStatus,
): Promise<Prisma.BatchPayload> {
  return db.stockReservation.createMany({
    data: lines.map(({ productId, quantity }) => ({ orderId, productId, quantity, status })),
  });
}

/** Sets the status of the order's reservations that are in one of `from`; returns how many changed. */
export async function updateStatus(
  db: Db,
  orderId: string,
  from: readonly ReservationStatus[],
  to: ReservationStatus,
): Promise<number> {
  const { count } = await db.stockReservation.updateMany({
    where: { orderId, status: { in: [...from] } },
    data: { status: to },
  });
  return count;
}
