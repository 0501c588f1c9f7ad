// Stock reservation for the order saga (ARCHITECTURE §4). A product's units are in one of three
// buckets: `stock` (available to order), `reserved` (held for an order awaiting payment) and `sold`.
// These functions only move units between buckets, so `stock + reserved + sold` changes only through
// the seller's createProduct/setStock. Each runs inside the caller's transaction (`tx` comes first,
// where request services take `ctx`): the event consumer's batch transaction, or a test's own.
//
// Race freedom comes from row locks, not from re-reading: every function locks the products it
// changes with `SELECT … FOR UPDATE` in product id order before deciding anything, so concurrent
// reservations of one product run one after the other, each seeing the stock the previous one left.
// Backstops: the UPDATE only moves units a bucket holds (`WHERE stock >= quantity`), and CHECK
// constraints keep every bucket >= 0.
import { enqueueStockChanged } from '../events/product-events.ts';
import {
  enqueueStockRejected,
  enqueueStockReleased,
  enqueueStockReserved,
  type StockRejectionReason,
} from '../events/stock-events.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import * as reservations from '../repositories/stock-reservation.repository.ts';
import type { MovedProduct, StockLine } from '../repositories/stock-reservation.repository.ts';

type Tx = Prisma.TransactionClient;

export type ReserveOutcome =
  | { status: 'RESERVED'; lines: StockLine[] }
  | { status: 'REJECTED'; reason: StockRejectionReason; productIds: string[] }
  /** The order has reservation rows already (a redelivered or repeated `order.placed`): nothing done. */
  | { status: 'ALREADY_HANDLED' };

const byProductId = (a: { productId: string }, b: { productId: string }): number =>
  a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0;

/** One line per product with the quantities of all its lines summed, in product id order. */
export function sumLines(lines: readonly StockLine[]): StockLine[] {
  const totals = new Map<string, number>();
  for (const { productId, quantity } of lines) totals.set(productId, (totals.get(productId) ?? 0) + quantity);
  return [...totals].map(([productId, quantity]) => ({ productId, quantity })).sort(byProductId);
}

/**
 * Reserves every line of an order, or none. Unknown products and products of shops that are not
 * ACTIVE reject the order with PRODUCT_UNAVAILABLE; otherwise lines wanting more than `stock` reject
 * it with OUT_OF_STOCK (naming those lines' products). A rejection is an answer, not an error: it
 * writes `stock.rejected` and returns, so the surrounding batch of other orders' events still commits.
 * Success moves the units from `stock` to `reserved`, records one RESERVED row per product, and writes
 * `stock.reserved` and one `product.stock_changed` per product.
 */
export async function reserveOrderStock(
  tx: Tx,
  orderId: string,
  lines: readonly StockLine[],
): Promise<ReserveOutcome> {
  const wanted = sumLines(lines);
  if (wanted.length === 0) throw new Error(`Order ${orderId} has no lines to reserve`);
  const locked = new Map(
    (
      await reservations.lockProducts(
        tx,
        wanted.map((l) => l.productId),
      )
    ).map((p) => [p.id, p]),
  );
  // Checked after the locks: a transaction reserving the same order for the same products has
  // committed by now, and this statement's fresh snapshot (READ COMMITTED) sees its rows.
  if (await reservations.existsForOrder(tx, orderId)) return { status: 'ALREADY_HANDLED' };

  const unavailable = wanted.filter((l) => locked.get(l.productId)?.sellerStatus !== 'ACTIVE');
  if (unavailable.length > 0) return reject(tx, orderId, 'PRODUCT_UNAVAILABLE', unavailable);
  const short = wanted.filter((l) => locked.get(l.productId)!.stock < l.quantity);
  if (short.length > 0) return reject(tx, orderId, 'OUT_OF_STOCK', short);

  const moved = await reservations.moveUnits(tx, 'stock', 'reserved', wanted);
  expectAllMoved(orderId, 'stock', wanted, moved);
  await reservations.createMany(tx, orderId, wanted, 'RESERVED');
  await enqueueStockReserved(tx, orderId, wanted);
  await enqueueStockChanges(tx, wanted, moved, -1);
  return { status: 'RESERVED', lines: wanted };
}

/** `order.confirmed`: the order's RESERVED units become sold. Returns what moved (nothing when none). */
export async function sellOrderStock(tx: Tx, orderId: string): Promise<StockLine[]> {
  const held = await reservations.lockByOrder(tx, orderId, ['RESERVED']);
  if (held.length === 0) return [];
  const lines = held.map(toLine);
  await reservations.lockProducts(
    tx,
    lines.map((l) => l.productId),
  );
  expectAllMoved(orderId, 'reserved', lines, await reservations.moveUnits(tx, 'reserved', 'sold', lines));
  await reservations.updateStatus(tx, orderId, ['RESERVED'], 'SOLD');
  return lines;
}

/**
 * `order.cancelled`: the order's RESERVED or SOLD units go back to `stock` and its rows become RELEASED,
 * with `stock.released` and one `product.stock_changed` per product. An order with nothing held (never
 * reserved, rejected, or released already) changes nothing and writes no event. Returns what moved.
 */
export async function releaseOrderStock(tx: Tx, orderId: string): Promise<StockLine[]> {
  const held = await reservations.lockByOrder(tx, orderId, ['RESERVED', 'SOLD']);
  if (held.length === 0) return [];
  const lines = held.map(toLine);
  await reservations.lockProducts(
    tx,
    lines.map((l) => l.productId),
  );
  const fromReserved = held.filter((r) => r.status === 'RESERVED').map(toLine);
  const fromSold = held.filter((r) => r.status === 'SOLD').map(toLine);
  const moved = [
    ...(await reservations.moveUnits(tx, 'reserved', 'stock', fromReserved)),
    ...(await reservations.moveUnits(tx, 'sold', 'stock', fromSold)),
  ];
  expectAllMoved(orderId, 'reserved or sold', lines, moved);
  await reservations.updateStatus(tx, orderId, ['RESERVED', 'SOLD'], 'RELEASED');
  await enqueueStockReleased(tx, orderId, lines);
  await enqueueStockChanges(tx, lines, moved, +1);
  return lines;
}

async function reject(
  tx: Tx,
  orderId: string,
  reason: StockRejectionReason,
  lines: readonly StockLine[],
): Promise<ReserveOutcome> {
  const productIds = lines.map((l) => l.productId);
  await enqueueStockRejected(tx, orderId, reason, productIds);
  return { status: 'REJECTED', reason, productIds };
}

/**
 * `product.stock_changed` for each moved product; `direction` is -1 when units left `stock`, +1 when
 * they came back. The rows are locked, so the stock before is exactly the stock after minus the move.
 */
async function enqueueStockChanges(
  tx: Tx,
  lines: readonly StockLine[],
  moved: readonly MovedProduct[],
  direction: -1 | 1,
): Promise<void> {
  const quantities = new Map(lines.map((l) => [l.productId, l.quantity]));
  for (const product of [...moved].sort((a, b) => byProductId({ productId: a.id }, { productId: b.id }))) {
    const quantity = quantities.get(product.id) ?? 0;
    await enqueueStockChanged(tx, product, product.stock - direction * quantity);
  }
}

/**
 * The rows are locked and the reservation rows say how many units each bucket holds for the order, so
 * a product that could not give them up means the buckets and the rows disagree. Throwing rolls the
 * whole transaction back (the consumer retries, then dead-letters the event) instead of half-applying.
 */
function expectAllMoved(
  orderId: string,
  from: string,
  lines: readonly StockLine[],
  moved: readonly MovedProduct[],
): void {
  if (moved.length === lines.length) return;
  const movedIds = new Set(moved.map((p) => p.id));
  const missing = lines.filter((l) => !movedIds.has(l.productId)).map((l) => l.productId);
  throw new Error(
    `Order ${orderId}: products ${missing.join(', ')} have fewer units in "${from}" than the order moves; nothing was changed`,
  );
}

const toLine = ({ productId, quantity }: StockLine): StockLine => ({ productId, quantity });
