import { randomUUID } from 'node:crypto';
import { forbidden, unauthenticated, userError, type UserError as KitUserError } from '@mp/kit';
import type { Context } from '../context.ts';
import {
  enqueueProductCreated,
  enqueueProductUpdated,
  enqueueStockChanged,
} from '../events/product-events.ts';
import type { UserErrorCode } from '../generated/graphql.ts';
import { Prisma } from '../generated/prisma/client.ts';
import * as products from '../repositories/product.repository.ts';
import type { ProductChanges, ProductRow } from '../repositories/product.repository.ts';
import {
  checkCreateInput,
  checkQuantity,
  checkUpdateInput,
  type CreateProductArg,
  type UpdateProductArg,
  type ValidChanges,
} from './product-input.ts';

type UserError = KitUserError<UserErrorCode>;

export interface ProductPayload {
  product: ProductRow | null;
  userErrors: UserError[];
}

const failed = (...userErrors: UserError[]): ProductPayload => ({ product: null, userErrors });

/** The caller's own shop id, when that shop is ACTIVE in catalog's projection; else why not. */
async function activeShopOf(ctx: Context): Promise<{ sellerId: string } | { error: UserError }> {
  if (!ctx.identity) throw unauthenticated();
  const sellerId = ctx.identity.sellerId;
  if (!sellerId)
    throw forbidden(
      `Your token has the seller scope but no shop id (user ${ctx.identity.userId}); sign in again`,
    );
  const shop = await ctx.loaders.sellerStateById.load(sellerId);
  if (shop?.status === 'ACTIVE') return { sellerId };
  const why = shop
    ? `Your shop "${sellerId}" is ${shop.status}; only ACTIVE shops can change their products`
    : `Your shop "${sellerId}" is not known to the catalog yet; try again in a moment`;
  return { error: userError(null, why, 'SELLER_NOT_ACTIVE') };
}

const unknownCategory = (categoryId: string): UserError =>
  userError(['input', 'categoryId'], `Category "${categoryId}" does not exist`, 'UNKNOWN_CATEGORY');

async function checkCategory(ctx: Context, categoryId: string | undefined): Promise<UserError[]> {
  if (categoryId === undefined || (await ctx.loaders.categoryById.load(categoryId))) return [];
  return [unknownCategory(categoryId)];
}

function notFound(field: string, id: string): UserError {
  // Another shop's product gets the same answer as a missing one, so ids of other shops leak nothing.
  return userError([field], `Product "${id}" was not found in your shop`, 'NOT_FOUND');
}

function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2003';
}

/** The requested changes that differ from the product as it is; empty when the update changes nothing. */
function actualChanges(product: ProductRow, changes: ValidChanges): ProductChanges {
  const actual: ProductChanges = {};
  if (changes.title !== undefined && changes.title !== product.title) actual.title = changes.title;
  if (changes.description !== undefined && changes.description !== product.description)
    actual.description = changes.description;
  if (changes.priceMinor !== undefined && changes.priceMinor !== product.priceMinor)
    actual.priceMinor = changes.priceMinor;
  if (changes.categoryId !== undefined && changes.categoryId !== product.categoryId)
    actual.categoryId = changes.categoryId;
  return actual;
}

function remember(ctx: Context, product: ProductRow): ProductRow {
  ctx.loaders.productById.clear(product.id).prime(product.id, product);
  return product;
}

/**
 * Lists a product in the caller's shop; the row and its `product.created` event commit together, and
 * nothing is written unless every check passes.
 */
export async function createProduct(ctx: Context, input: CreateProductArg): Promise<ProductPayload> {
  const shop = await activeShopOf(ctx);
  if ('error' in shop) return failed(shop.error);
  const checked = checkCreateInput(input);
  const errors = [...(checked.ok ? [] : checked.errors), ...(await checkCategory(ctx, input.categoryId))];
  if (!checked.ok || errors.length > 0) return failed(...errors);
  try {
    const product = await ctx.prisma.$transaction(async (tx) => {
      const created = await products.create(tx, {
        id: randomUUID(),
        sellerId: shop.sellerId,
        ...checked.value,
      });
      await enqueueProductCreated(tx, created);
      return created;
    });
    return { product: remember(ctx, product), userErrors: [] };
  } catch (error) {
    // The category can be deleted between the check and the insert; the foreign key decides.
    if (isForeignKeyViolation(error)) return failed(unknownCategory(input.categoryId));
    throw error;
  }
}

/**
 * Changes the given fields of one of the caller's products; the price keeps the product's currency.
 * `product.updated` (the snapshot after the change) commits with the row, and only when a field actually
 * changed: an update to the values the product already has writes nothing.
 */
export async function updateProduct(
  ctx: Context,
  id: string,
  input: UpdateProductArg,
): Promise<ProductPayload> {
  const shop = await activeShopOf(ctx);
  if ('error' in shop) return failed(shop.error);
  const current = await ctx.loaders.productById.load(id);
  if (!current || current.sellerId !== shop.sellerId) return failed(notFound('id', id));
  const checked = checkUpdateInput(input, current.currencyCode);
  const errors = [
    ...(checked.ok ? [] : checked.errors),
    ...(await checkCategory(ctx, input.categoryId ?? undefined)),
  ];
  if (!checked.ok || errors.length > 0) return failed(...errors);
  if (Object.keys(checked.value).length === 0) return { product: current, userErrors: [] };
  try {
    const updated = await ctx.prisma.$transaction(async (tx) => {
      // Compared with the locked row, not the loaded one: a concurrent update may have committed since.
      const before = await products.findOfSellerForUpdate(tx, id, shop.sellerId);
      if (!before) return null;
      const changes = actualChanges(before, checked.value);
      if (Object.keys(changes).length === 0) return before;
      const after = await products.updateOfSeller(tx, id, shop.sellerId, changes);
      if (after) await enqueueProductUpdated(tx, after);
      return after;
    });
    return updated ? { product: remember(ctx, updated), userErrors: [] } : failed(notFound('id', id));
  } catch (error) {
    if (isForeignKeyViolation(error) && checked.value.categoryId)
      return failed(unknownCategory(checked.value.categoryId));
    throw error;
  }
}

/**
 * Sets the stock of one of the caller's products; ownership is part of the UPDATE's WHERE. The stock
 * before is read with the row locked, so `product.stock_changed` carries the true `previousStock`; an
 * unchanged quantity writes nothing.
 */
export async function setStock(ctx: Context, productId: string, quantity: number): Promise<ProductPayload> {
  const shop = await activeShopOf(ctx);
  if ('error' in shop) return failed(shop.error);
  const errors = checkQuantity(quantity, ['quantity']);
  if (errors.length > 0) return failed(...errors);
  const updated = await ctx.prisma.$transaction(async (tx) => {
    const before = await products.findOfSellerForUpdate(tx, productId, shop.sellerId);
    if (!before || before.stock === quantity) return before;
    const after = await products.updateOfSeller(tx, productId, shop.sellerId, { stock: quantity });
    if (after) await enqueueStockChanged(tx, after, before.stock);
    return after;
  });
  return updated
    ? { product: remember(ctx, updated), userErrors: [] }
    : failed(notFound('productId', productId));
}
