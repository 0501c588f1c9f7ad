// Shared by the stock reservation tests: products with a known stock, order events, and the buckets.
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@mp/events';
import { demoId } from '@mp/prisma/seed';
import { expect } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { buyer, demoSeller, envelope } from './helpers.ts';

export const northwindId = demoSeller('northwind').id;
export const atelierId = demoSeller('atelier').id;

/** A fresh product of an ACTIVE demo shop (seeded) holding `stock` available units. */
export async function createStockedProduct(
  prisma: PrismaClient,
  stock: number,
  sellerId: string = northwindId,
): Promise<string> {
  const id = `test-product-${randomUUID()}`;
  await prisma.product.create({
    data: {
      id,
      sellerId,
      categoryId: demoId('category', 'Audio'),
      title: `Reservable ${id.slice(-6)}`,
      description: 'A product the reservation tests fight over.',
      priceMinor: 1_000n,
      currencyCode: 'EUR',
      stock,
      images: [],
    },
    select: { id: true },
  });
  return id;
}

export interface Buckets {
  stock: number;
  reserved: number;
  sold: number;
}

export function bucketsOf(prisma: PrismaClient, productId: string): Promise<Buckets> {
  return prisma.product.findUniqueOrThrow({
    where: { id: productId },
    select: { stock: true, reserved: true, sold: true },
  });
}

/**
 * The product's buckets, after checking the invariant: `stock + reserved + sold` is `total` (the units
 * the seller gave it), and `reserved`/`sold` equal the units of its RESERVED/SOLD reservation rows.
 */
export async function expectConsistent(
  prisma: PrismaClient,
  productId: string,
  total: number,
): Promise<Buckets> {
  const buckets = await bucketsOf(prisma, productId);
  const rows = await prisma.stockReservation.groupBy({
    by: ['status'],
    where: { productId },
    _sum: { quantity: true },
  });
  const held = (status: string) => rows.find((r) => r.status === status)?._sum.quantity ?? 0;
  expect(buckets.stock + buckets.reserved + buckets.sold).toBe(total);
  expect({ reserved: buckets.reserved, sold: buckets.sold }).toEqual({
    reserved: held('RESERVED'),
    sold: held('SOLD'),
  });
  return buckets;
}

export interface OrderLine {
  productId: string;
  quantity: number;
}

/** An `order.placed` as orders would publish it: one seller order per entry, unit price 10.00 EUR. */
export function orderPlaced(
  orderId: string,
  sellerOrders: { sellerId: string; items: OrderLine[] }[],
): EventEnvelope<'order.placed'> {
  const priced = sellerOrders.map(({ sellerId, items }, index) => ({
    sellerOrderId: `${orderId}-${index + 1}`,
    sellerId,
    subtotalMinor: items.reduce((sum, item) => sum + item.quantity * 1_000, 0),
    items: items.map((item) => ({ ...item, unitPriceMinor: 1_000 })),
  }));
  return envelope('order.placed', orderId, {
    orderId,
    buyerId: buyer.userId,
    currencyCode: 'EUR',
    totalMinor: priced.reduce((sum, so) => sum + so.subtotalMinor, 0),
    paymentToken: 'tok_visa',
    sellerOrders: priced,
  });
}

export function orderConfirmed(orderId: string, sellerId: string, items: OrderLine[]) {
  return envelope('order.confirmed', orderId, {
    orderId,
    buyerId: buyer.userId,
    sellerOrders: [{ sellerOrderId: `${orderId}-1`, sellerId, items }],
  });
}

export function orderCancelled(
  orderId: string,
  previousStatus: 'PENDING' | 'CONFIRMED' = 'PENDING',
  reason: 'BUYER_CANCELLED' | 'OUT_OF_STOCK' | 'PAYMENT_DECLINED' = 'BUYER_CANCELLED',
) {
  return envelope('order.cancelled', orderId, { orderId, buyerId: buyer.userId, reason, previousStatus });
}

/** The outbox rows written for one aggregate (an order or a product), in the order they are relayed. */
export function outboxOf(prisma: PrismaClient, aggregateId: string) {
  return prisma.outboxEvent.findMany({
    where: { aggregateId },
    orderBy: { seq: 'asc' },
    select: { type: true, data: true },
  });
}
