import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const categorySelect = { id: true, name: true, parentId: true } as const;

export interface CategoryRow {
  id: string;
  name: string;
  parentId: string | null;
}

const byName = [{ name: 'asc' }, { id: 'asc' }] as const satisfies Prisma.CategoryOrderByWithRelationInput[];

export function findAll(db: Db): Promise<CategoryRow[]> {
  return db.category.findMany({ select: categorySelect, orderBy: [...byName] });
}

export function findByIds(db: Db, ids: readonly string[]): Promise<CategoryRow[]> {
  return db.category.findMany({ where: { id: { in: [...ids] } }, select: categorySelect });
}

export function findByParentIds(db: Db, parentIds: readonly string[]): Promise<CategoryRow[]> {
  return db.category.findMany({
    where: { parentId: { in: [...parentIds] } },
    select: categorySelect,
    orderBy: [...byName],
  });
}

export function createMany(db: Db, rows: readonly CategoryRow[]): Promise<Prisma.BatchPayload> {
  return db.category.createMany({ data: [...rows] });
}

export function count(db: Db): Promise<number> {
  return db.category.count();
}
