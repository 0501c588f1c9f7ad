// How a paid order changes the model, and how a cancellation after payment takes it out again. Runs in
// the event consumer's transaction (one per event) or the demo seed's; `tx` comes first where request
// services take `ctx`. The model is a function of the set of counted orders: counting an order and then
// cancelling it leaves every count as it was (test/purchases.int.test.ts).
import type { Prisma } from '../generated/prisma/client.ts';
import { pairsTouching, type ProductPair } from '../model/co-purchase.ts';
import { orderLog2Weight } from '../model/popularity.ts';
import type { PaidOrder } from '../model/reference-model.ts';
import * as model from '../repositories/model.repository.ts';
import * as purchases from '../repositories/purchase.repository.ts';

type Tx = Prisma.TransactionClient;

/**
 * Counts a paid order: the buyer has its products; pairs between each newly owned product and
 * everything else the buyer has gain a buyer; each product gains an order (and popularity at the
 * order's time), and a buyer when it is new to them. Returns the products whose counts changed: the
 * order's and every product paired with one of them. An order counted before changes nothing.
 */
export async function countPaidOrder(tx: Tx, order: PaidOrder): Promise<string[]> {
  const productIds = [...new Set(order.productIds)].sort();
  const at = new Date(order.at);
  await purchases.lockBuyer(tx, order.buyerId);
  const counted = await purchases.insertOrder(tx, {
    orderId: order.orderId,
    buyerId: order.buyerId,
    productIds,
    confirmedAt: at,
  });
  if (!counted) return [];
  const owned = new Set(await purchases.findOwned(tx, order.buyerId));
  const added = productIds.filter((id) => !owned.has(id));
  await purchases.addHoldings(tx, order.buyerId, productIds, at);
  const pairs = pairsTouching(added, owned);
  await model.incrementPairs(tx, pairs);
  await model.addOrderToStats(tx, productIds, new Set(added), orderLog2Weight(at));
  return productsIn(productIds, pairs);
}

/**
 * Takes a counted order out of the model (it was cancelled after payment: refunded, so not a purchase
 * after all). Exactly the inverse of countPaidOrder, and returns the same. An order never counted
 * (cancelled before payment) or taken out already changes nothing.
 */
export async function uncountOrder(tx: Tx, orderId: string, cancelledAt: Date): Promise<string[]> {
  const buyerId = await purchases.findBuyerOfOrder(tx, orderId);
  if (buyerId === null) return [];
  // The buyer lock first, as when counting, so the two never wait for each other in opposite orders.
  await purchases.lockBuyer(tx, buyerId);
  const order = await purchases.markCancelled(tx, orderId, cancelledAt);
  if (!order) return [];
  const lost = await purchases.removeHoldings(tx, buyerId, order.productIds);
  const kept = await purchases.findOwned(tx, buyerId);
  const pairs = pairsTouching(lost, kept);
  await model.decrementPairs(tx, pairs);
  await model.removeOrderFromStats(tx, order.productIds, new Set(lost), orderLog2Weight(order.confirmedAt));
  return productsIn(order.productIds, pairs);
}

function productsIn(orderProducts: readonly string[], pairs: readonly ProductPair[]): string[] {
  return [...new Set([...orderProducts, ...pairs.flat()])];
}
