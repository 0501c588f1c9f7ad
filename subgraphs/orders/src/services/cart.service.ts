import { unauthenticated, userError, type UserError } from '@mp/kit';
import type { Context } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import * as carts from '../repositories/cart.repository.ts';
import type { CartRow } from '../repositories/cart.repository.ts';
import * as projection from '../repositories/catalog-projection.repository.ts';
import type { ProductProjectionRow } from '../repositories/catalog-projection.repository.ts';
import { MAX_CART_LINES, MAX_QUANTITY, validateQuantity } from './checkout-input.ts';

/** A cart line priced from orders' product projection. */
export interface CartLine {
  productId: string;
  quantity: number;
  unitPriceMinor: bigint;
  currencyCode: string;
  available: boolean;
}

export interface CartView {
  id: string;
  lines: CartLine[];
  /** The cart's currency (of its lines); USD for an empty cart. */
  currencyCode: string;
}

export interface CartPayload {
  cart: CartView | null;
  userErrors: UserError<UserErrorCode>[];
}

const EMPTY_CART_CURRENCY = 'USD';

/** Products of a shop that is not ACTIVE (or not heard of yet) cannot be bought. */
export function isPurchasable(product: ProductProjectionRow): boolean {
  return product.sellerStatus === 'ACTIVE';
}

function userIdOf(ctx: Context): string {
  if (!ctx.identity) throw unauthenticated();
  return ctx.identity.userId;
}

async function priced(ctx: Context, cart: CartRow): Promise<CartView> {
  const products = await ctx.loaders.productById.loadMany(cart.items.map((i) => i.productId));
  const lines: CartLine[] = [];
  cart.items.forEach((item, index) => {
    const product = products[index];
    // A product the projection has never heard of cannot be added; skip rather than guess a price.
    if (!product || product instanceof Error) return;
    lines.push({
      productId: item.productId,
      quantity: item.quantity,
      unitPriceMinor: product.priceMinor,
      currencyCode: product.currencyCode,
      available: isPurchasable(product),
    });
  });
  return { id: cart.id, lines, currencyCode: lines[0]?.currencyCode ?? EMPTY_CART_CURRENCY };
}

export async function getCart(ctx: Context): Promise<CartView> {
  const userId = userIdOf(ctx);
  return priced(ctx, await carts.findOrCreate(ctx.prisma, userId));
}

/** Why a product cannot go into this cart, or null. */
async function refusal(
  tx: Prisma.TransactionClient,
  cart: CartRow,
  productId: string,
): Promise<UserError<UserErrorCode> | null> {
  // The product, and one other line's (the cart's currency), in one statement.
  const otherLine = cart.items.find((i) => i.productId !== productId)?.productId;
  const found = await projection.findProducts(tx, otherLine ? [productId, otherLine] : [productId]);
  const product = found.find((p) => p.productId === productId);
  const other = found.find((p) => p.productId === otherLine);
  if (!product) return userError('productId', `There is no product "${productId}"`, 'UNKNOWN_PRODUCT');
  if (!isPurchasable(product)) {
    return userError(
      'productId',
      `"${product.title}" cannot be bought right now: its shop is not active`,
      'PRODUCT_UNAVAILABLE',
    );
  }
  if (!cart.items.some((i) => i.productId === productId) && cart.items.length >= MAX_CART_LINES) {
    return userError(
      'productId',
      `A cart holds at most ${MAX_CART_LINES} different products`,
      'INVALID_INPUT',
    );
  }
  if (other && other.currencyCode !== product.currencyCode) {
    return userError(
      'productId',
      `"${product.title}" is priced in ${product.currencyCode} but your cart is in ${other.currencyCode}`,
      'CURRENCY_MISMATCH',
    );
  }
  return null;
}

async function changeLine(
  ctx: Context,
  productId: string,
  quantityOf: (current: number) => number,
): Promise<CartPayload> {
  const userId = userIdOf(ctx);
  const result = await ctx.prisma.$transaction(async (tx) => {
    const cart = await carts.lockForUser(tx, userId);
    const current = cart.items.find((i) => i.productId === productId)?.quantity ?? 0;
    const quantity = quantityOf(current);
    if (quantity > MAX_QUANTITY) {
      return {
        cart,
        error: userError(
          'quantity',
          `A cart line holds at most ${MAX_QUANTITY} units; this would make ${quantity}`,
          'INVALID_INPUT',
        ),
      };
    }
    // Removing a line is always allowed, even for a product that became unavailable.
    const error = quantity === 0 ? null : await refusal(tx, cart, productId);
    if (error) return { cart, error };
    await carts.setQuantity(tx, cart.id, productId, quantity);
    return { cart: { ...cart, items: await carts.findItems(tx, cart.id) }, error: null };
  });
  return { cart: await priced(ctx, result.cart), userErrors: result.error ? [result.error] : [] };
}

/** Adds units to a line (creating it); the line may not exceed 999 units. */
export async function addToCart(ctx: Context, productId: string, quantity: number): Promise<CartPayload> {
  const invalid = validateQuantity(quantity, { allowZero: false });
  if (invalid) return { cart: null, userErrors: [invalid] };
  return changeLine(ctx, productId, (current) => current + quantity);
}

/** Sets a line's quantity; 0 removes it. */
export async function updateCartItem(
  ctx: Context,
  productId: string,
  quantity: number,
): Promise<CartPayload> {
  const invalid = validateQuantity(quantity, { allowZero: true });
  if (invalid) return { cart: null, userErrors: [invalid] };
  return changeLine(ctx, productId, () => quantity);
}
