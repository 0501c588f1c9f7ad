import { Prisma, type PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ProductAttribute {
  name: string;
  value: string;
}

export interface ProductRow {
  id: string;
  sellerId: string;
  categoryId: string;
  title: string;
  description: string;
  /** Integer minor units of `currencyCode`. */
  priceMinor: bigint;
  currencyCode: string;
  stock: number;
  images: string[];
  attributes: ProductAttribute[];
  createdAt: Date;
  updatedAt: Date;
}

export const productSelect = {
  id: true,
  sellerId: true,
  categoryId: true,
  title: true,
  description: true,
  priceMinor: true,
  currencyCode: true,
  stock: true,
  images: true,
  attributes: true,
  createdAt: true,
  updatedAt: true,
} as const;

type SelectedProduct = Prisma.ProductGetPayload<{ select: typeof productSelect }>;

/** The `attributes` jsonb column holds `[{ name, value }]`; anything else reads as no attributes. */
export function toAttributes(json: unknown): ProductAttribute[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { name, value } = item as Record<string, unknown>;
    return typeof name === 'string' && typeof value === 'string' ? [{ name, value }] : [];
  });
}

function toRow(product: SelectedProduct): ProductRow {
  return { ...product, images: product.images, attributes: toAttributes(product.attributes) };
}

export async function findByIds(db: Db, ids: readonly string[]): Promise<ProductRow[]> {
  const rows = await db.product.findMany({ where: { id: { in: [...ids] } }, select: productSelect });
  return rows.map(toRow);
}

export interface NewProduct {
  id: string;
  sellerId: string;
  categoryId: string;
  title: string;
  description: string;
  priceMinor: bigint;
  currencyCode: string;
  stock: number;
  images: string[];
  attributes: ProductAttribute[];
}

export async function create(db: Db, data: NewProduct): Promise<ProductRow> {
  const attributes = data.attributes.map(({ name, value }) => ({ name, value }));
  return toRow(await db.product.create({ data: { ...data, attributes }, select: productSelect }));
}

/** A products row as raw SQL returns it (snake_case, numerics possibly as strings). */
export interface RawProduct {
  id: string;
  seller_id: string;
  category_id: string;
  title: string;
  description: string;
  price_minor: bigint | number | string;
  currency_code: string;
  stock: number;
  images: string[] | null;
  attributes: unknown;
  created_at: Date;
  updated_at: Date;
}

/**
 * The product if it belongs to `sellerId`, with its row locked (`FOR UPDATE`) until the transaction
 * ends, so what it returns stays the state the caller's own update starts from; null when that seller
 * has no such product. Raw SQL because Prisma's query builder cannot lock rows.
 */
export async function findOfSellerForUpdate(
  db: Db,
  id: string,
  sellerId: string,
): Promise<ProductRow | null> {
  const rows = await db.$queryRaw<RawProduct[]>`
    SELECT id, seller_id, category_id, title, description, price_minor, currency_code, stock, images,
           attributes, created_at, updated_at
      FROM products
     WHERE id = ${id} AND seller_id = ${sellerId}
       FOR UPDATE`;
  const row = rows[0];
  return row ? fromRaw(row) : null;
}

/** A raw products row (see RawProduct) as the ProductRow that Prisma queries return. */
export function fromRaw(row: RawProduct): ProductRow {
  return {
    id: row.id,
    sellerId: row.seller_id,
    categoryId: row.category_id,
    title: row.title,
    description: row.description,
    priceMinor: BigInt(row.price_minor),
    currencyCode: row.currency_code,
    stock: Number(row.stock),
    images: row.images ?? [],
    attributes: toAttributes(row.attributes),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export type ProductChanges = Partial<
  Pick<ProductRow, 'title' | 'description' | 'priceMinor' | 'categoryId' | 'stock'>
>;

/** Updates the product only if it belongs to `sellerId`; null when no such product of that seller. */
export async function updateOfSeller(
  db: Db,
  id: string,
  sellerId: string,
  changes: ProductChanges,
): Promise<ProductRow | null> {
  try {
    return toRow(await db.product.update({ where: { id, sellerId }, data: changes, select: productSelect }));
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025') return null;
    throw error;
  }
}

export function createMany(
  db: Db,
  rows: readonly Prisma.ProductCreateManyInput[],
): Promise<Prisma.BatchPayload> {
  return db.product.createMany({ data: [...rows] });
}

export function count(db: Db): Promise<number> {
  return db.product.count();
}
