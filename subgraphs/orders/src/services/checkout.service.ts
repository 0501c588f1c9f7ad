import { randomUUID } from 'node:crypto';
import { unauthenticated, userError, type UserError } from '@mp/kit';
import type { Context } from '../context.ts';
import { enqueueOrderPlaced } from '../events/order-events.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import * as carts from '../repositories/cart.repository.ts';
import type { CartItemRow } from '../repositories/cart.repository.ts';
import * as projection from '../repositories/catalog-projection.repository.ts';
import * as orders from '../repositories/order.repository.ts';
import type { NewOrder, OrderRow } from '../repositories/order.repository.ts';
import { isPurchasable } from './cart.service.ts';
import { validateCheckout, type CheckoutInput, type ValidCheckout } from './checkout-input.ts';
import type { OrderView } from './order-view.ts';

export interface CheckoutPayload {
  order: OrderView | null;
  userErrors: UserError<UserErrorCode>[];
}

type Outcome = { order: OrderRow } | { error: UserError<UserErrorCode> };

const sameLines = (a: readonly CartItemRow[], b: readonly CartItemRow[]) =>
  JSON.stringify([...a].sort((x, y) => x.productId.localeCompare(y.productId))) ===
  JSON.stringify([...b].sort((x, y) => x.productId.localeCompare(y.productId)));

/**
 * Places an order for the caller's cart. One transaction, holding the cart's row lock so a buyer's
 * checkouts run one at a time: the idempotency key is looked up first (a retry gets the order it
 * placed), then the cart is priced from orders' own product projection, and the order, its seller
 * orders, its items and `order.placed` are written together, and the cart emptied. Stock and payment are
 * settled afterwards by the saga; this never waits for them.
 */
export async function checkout(ctx: Context, input: CheckoutInput): Promise<CheckoutPayload> {
  if (!ctx.identity) throw unauthenticated();
  const buyerId = ctx.identity.userId;
  const valid = validateCheckout(input);
  if (!valid.ok) return { order: null, userErrors: valid.errors };
  if ((await ctx.paymentMethods.verify(valid.value.token)) === 'unknown') {
    return {
      order: null,
      userErrors: [
        userError(
          ['input', 'paymentMethod', 'token'],
          `The payment provider does not know the token "${valid.value.token}"`,
          'UNKNOWN_PAYMENT_METHOD',
        ),
      ],
    };
  }
  // A buyer's concurrent checkouts queue on the cart lock: allow for a queue, not just one statement.
  const outcome = await ctx.prisma.$transaction((tx) => placeOrder(tx, buyerId, valid.value), {
    maxWait: 5_000,
    timeout: 15_000,
  });
  if ('error' in outcome) return { order: null, userErrors: [outcome.error] };
  return { order: { order: outcome.order, scope: { kind: 'all' } }, userErrors: [] };
}

async function placeOrder(
  tx: Prisma.TransactionClient,
  buyerId: string,
  input: ValidCheckout,
): Promise<Outcome> {
  const cart = await carts.lockForUser(tx, buyerId);
  const existing = await orders.findByIdempotencyKey(tx, buyerId, input.idempotencyKey);
  if (existing) return replay(tx, existing, cart.items, input);
  if (cart.items.length === 0) {
    return { error: userError(null, 'Your cart is empty: add products before checking out', 'EMPTY_CART') };
  }
  const products = new Map(
    (
      await projection.findProducts(
        tx,
        cart.items.map((i) => i.productId),
      )
    ).map((p) => [p.productId, p]),
  );
  for (const item of cart.items) {
    const product = products.get(item.productId);
    if (!product || !isPurchasable(product)) {
      return {
        error: userError(
          null,
          `"${product?.title ?? item.productId}" cannot be bought right now; remove it from your cart`,
          'PRODUCT_UNAVAILABLE',
        ),
      };
    }
  }
  const currencies = new Set([...products.values()].map((p) => p.currencyCode));
  if (currencies.size > 1) {
    return {
      error: userError(
        null,
        `Your cart mixes currencies (${[...currencies].join(', ')})`,
        'CURRENCY_MISMATCH',
      ),
    };
  }
  const draft = draftOrder(buyerId, input, cart.items, products);
  const order = await orders.create(tx, draft);
  await enqueueOrderPlaced(tx, draft, input.token);
  await carts.clear(tx, cart.id);
  return { order };
}

/**
 * The key placed an order already. The same request again (the cart is empty since, or holds the same
 * lines; same address and payment method) is a retry and gets that order; anything else reuses the key.
 */
async function replay(
  tx: Prisma.TransactionClient,
  existing: OrderRow,
  cartItems: readonly CartItemRow[],
  input: ValidCheckout,
): Promise<Outcome> {
  const ordered = (await orders.findItemsByOrderIds(tx, [existing.id])).map((i) => ({
    productId: i.productId,
    quantity: i.quantity,
  }));
  const sameCart = cartItems.length === 0 || sameLines(cartItems, ordered);
  if (sameCart && existing.requestHash === input.requestHash) return { order: existing };
  return {
    error: userError(
      ['input', 'idempotencyKey'],
      `The idempotency key "${input.idempotencyKey}" already placed order ${existing.id} with a different ${
        sameCart ? 'address or payment method' : 'cart'
      }; use a new key for a new checkout`,
      'IDEMPOTENCY_KEY_REUSED',
    ),
  };
}

function draftOrder(
  buyerId: string,
  input: ValidCheckout,
  items: readonly CartItemRow[],
  products: ReadonlyMap<string, projection.ProductProjectionRow>,
): NewOrder {
  const orderId = randomUUID();
  const sellerOrderIds = new Map<string, string>();
  const subtotals = new Map<string, bigint>();
  const lines = items.map((item, position) => {
    const product = products.get(item.productId)!;
    if (!sellerOrderIds.has(product.sellerId)) sellerOrderIds.set(product.sellerId, randomUUID());
    subtotals.set(
      product.sellerId,
      (subtotals.get(product.sellerId) ?? 0n) + product.priceMinor * BigInt(item.quantity),
    );
    return {
      id: randomUUID(),
      sellerOrderId: sellerOrderIds.get(product.sellerId)!,
      position,
      productId: item.productId,
      title: product.title,
      quantity: item.quantity,
      unitPriceMinor: product.priceMinor,
    };
  });
  const total = [...subtotals.values()].reduce((sum, s) => sum + s, 0n);
  return {
    order: {
      id: orderId,
      buyerId,
      idempotencyKey: input.idempotencyKey,
      requestHash: input.requestHash,
      currencyCode: products.get(items[0]!.productId)!.currencyCode,
      totalMinor: total,
      shippingAddress: { ...input.address },
    },
    sellerOrders: [...sellerOrderIds].map(([sellerId, id]) => ({
      id,
      sellerId,
      subtotalMinor: subtotals.get(sellerId)!,
    })),
    items: lines,
  };
}
