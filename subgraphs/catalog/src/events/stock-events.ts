// Catalog's answers to the order saga. aggregateId = the order id, so one order's reservation events
// stay in order; each is written in the transaction that made (or refused) the reservation.
import { enqueueEvent, type EventData, type SqlTx } from '@mp/events';
import type { StockLine } from '../repositories/stock-reservation.repository.ts';

export type StockRejectionReason = EventData<'stock.rejected'>['reason'];

export async function enqueueStockReserved(
  tx: SqlTx,
  orderId: string,
  lines: readonly StockLine[],
): Promise<void> {
  await enqueueEvent(tx, 'stock.reserved', orderId, { orderId, lines: lines.map(toLine) });
}

export async function enqueueStockRejected(
  tx: SqlTx,
  orderId: string,
  reason: StockRejectionReason,
  productIds: readonly string[],
): Promise<void> {
  await enqueueEvent(tx, 'stock.rejected', orderId, { orderId, reason, productIds: [...productIds] });
}

export async function enqueueStockReleased(
  tx: SqlTx,
  orderId: string,
  lines: readonly StockLine[],
): Promise<void> {
  await enqueueEvent(tx, 'stock.released', orderId, { orderId, lines: lines.map(toLine) });
}

const toLine = ({ productId, quantity }: StockLine): StockLine => ({ productId, quantity });
