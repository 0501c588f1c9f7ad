// Catalog's outgoing events. Each is written with `enqueueEvent` inside the transaction of the change it
// describes, after the statement that changed (and so locked) the product row; aggregateId = product id.
import { enqueueEvent, type EventData, type SqlTx } from '@mp/events';
import type { ProductRow } from '../repositories/product.repository.ts';

export type ProductSnapshot = EventData<'product.created'>;

type SnapshotSource = Pick<
  ProductRow,
  'id' | 'sellerId' | 'categoryId' | 'title' | 'priceMinor' | 'currencyCode' | 'stock'
>;

/**
 * The listing state other subgraphs keep a copy of (orders' prices, recommendations). Prices stay in
 * integer minor units; `Number` is exact because parseAmount caps amounts at Number.MAX_SAFE_INTEGER.
 */
export function productSnapshot(product: SnapshotSource): ProductSnapshot {
  return {
    productId: product.id,
    sellerId: product.sellerId,
    categoryId: product.categoryId,
    title: product.title,
    price: { amountMinor: Number(product.priceMinor), currencyCode: product.currencyCode },
    stock: product.stock,
  };
}

export async function enqueueProductCreated(tx: SqlTx, product: SnapshotSource): Promise<void> {
  await enqueueEvent(tx, 'product.created', product.id, productSnapshot(product));
}

export async function enqueueProductUpdated(tx: SqlTx, product: SnapshotSource): Promise<void> {
  await enqueueEvent(tx, 'product.updated', product.id, productSnapshot(product));
}

export async function enqueueStockChanged(
  tx: SqlTx,
  product: Pick<ProductRow, 'id' | 'sellerId' | 'stock'>,
  previousStock: number,
): Promise<void> {
  await enqueueEvent(tx, 'product.stock_changed', product.id, {
    productId: product.id,
    sellerId: product.sellerId,
    stock: product.stock,
    previousStock,
  });
}
