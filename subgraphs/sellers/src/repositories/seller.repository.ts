import type { Prisma, PrismaClient, SellerStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const sellerSelect = {
  id: true,
  ownerId: true,
  name: true,
  description: true,
  status: true,
  createdAt: true,
} as const;

export interface SellerRow {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  status: SellerStatus;
  createdAt: Date;
}

export function findByIds(db: Db, ids: readonly string[]): Promise<SellerRow[]> {
  return db.seller.findMany({ where: { id: { in: [...ids] } }, select: sellerSelect });
}

export function findByOwnerIds(db: Db, ownerIds: readonly string[]): Promise<SellerRow[]> {
  return db.seller.findMany({ where: { ownerId: { in: [...ownerIds] } }, select: sellerSelect });
}

export function create(
  db: Db,
  data: { id: string; ownerId: string; name: string; description: string | null; status: SellerStatus },
): Promise<SellerRow> {
  return db.seller.create({ data, select: sellerSelect });
}

export function updateStatus(db: Db, id: string, status: SellerStatus): Promise<SellerRow> {
  return db.seller.update({ where: { id }, data: { status }, select: sellerSelect });
}

export function count(db: Db): Promise<number> {
  return db.seller.count();
}
