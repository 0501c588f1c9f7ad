import { randomUUID } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface CartItemRow {
  productId: string;
  quantity: number;
}

export interface CartRow {
  id: string;
  userId: string;
  items: CartItemRow[];
}

const CART_SELECT = {
  id: true,
  userId: true,
  items: { select: { productId: true, quantity: true }, orderBy: { addedAt: 'asc' } },
} as const;

export function findByUserId(db: Db, userId: string): Promise<CartRow | null> {
  return db.cart.findUnique({ where: { userId }, select: CART_SELECT });
}

/** The user's cart, created (empty) when missing; no lock, for reads. */
export async function findOrCreate(db: Db, userId: string): Promise<CartRow> {
  const cart = await findByUserId(db, userId);
  if (cart) return cart;
  await insertIfMissing(db, userId);
  return (await findByUserId(db, userId))!;
}

function insertIfMissing(db: Db, userId: string): Promise<number> {
  return db.$executeRaw`
    INSERT INTO carts (id, user_id, updated_at) VALUES (${randomUUID()}::uuid, ${userId}, now())
    ON CONFLICT (user_id) DO NOTHING`;
}

/** A cart's lines, in the order they were added. */
export function findItems(db: Db, cartId: string): Promise<CartItemRow[]> {
  return db.cartItem.findMany({
    where: { cartId },
    select: { productId: true, quantity: true },
    orderBy: { addedAt: 'asc' },
  });
}

/**
 * The user's cart, created when missing, with its row locked until the transaction ends: every change to
 * one user's cart, and their checkouts, run one at a time. One statement creates or locks the row (an
 * upsert's update takes the row lock), one reads the lines.
 */
export async function lockForUser(tx: Prisma.TransactionClient, userId: string): Promise<CartRow> {
  const [cart] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO carts (id, user_id, updated_at) VALUES (${randomUUID()}::uuid, ${userId}, now())
    ON CONFLICT (user_id) DO UPDATE SET updated_at = now()
    RETURNING id::text`;
  return { id: cart!.id, userId, items: await findItems(tx, cart!.id) };
}

/** Sets a line's quantity; 0 removes the line. The cart is locked (and its updated_at set) already. */
export async function setQuantity(
  tx: Prisma.TransactionClient,
  cartId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  if (quantity === 0) {
    await tx.cartItem.deleteMany({ where: { cartId, productId } });
  } else {
    await tx.cartItem.upsert({
      where: { cartId_productId: { cartId, productId } },
      create: { cartId, productId, quantity },
      update: { quantity },
    });
  }
}

export async function clear(tx: Prisma.TransactionClient, cartId: string): Promise<void> {
  await tx.cartItem.deleteMany({ where: { cartId } });
}
