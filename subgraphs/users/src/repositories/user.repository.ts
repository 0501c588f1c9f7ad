import type { Prisma, PrismaClient, Role } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const userSelect = {
  id: true,
  email: true,
  name: true,
  roles: true,
  sellerId: true,
  createdAt: true,
} as const;

export interface UserRow {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  sellerId: string | null;
  createdAt: Date;
}

/** A user with their password hash: only for signing in, never handed to resolvers. */
export interface UserCredentialsRow extends UserRow {
  passwordHash: string;
}

export function findByIds(db: Db, ids: readonly string[]): Promise<UserRow[]> {
  return db.user.findMany({ where: { id: { in: [...ids] } }, select: userSelect });
}

export function findById(db: Db, id: string): Promise<UserRow | null> {
  return db.user.findUnique({ where: { id }, select: userSelect });
}

export function findCredentialsByEmail(db: Db, email: string): Promise<UserCredentialsRow | null> {
  return db.user.findUnique({ where: { email }, select: { ...userSelect, passwordHash: true } });
}

export async function existsByEmail(db: Db, email: string): Promise<boolean> {
  return (await db.user.count({ where: { email } })) > 0;
}

export function create(
  db: Db,
  data: {
    id: string;
    email: string;
    name: string;
    passwordHash: string;
    roles: Role[];
    sellerId?: string | null;
  },
): Promise<UserRow> {
  return db.user.create({ data, select: userSelect });
}

export async function updatePasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.user.update({ where: { id }, data: { passwordHash }, select: { id: true } });
}

/** Locks the row until the transaction ends, for read-modify-write of `roles`. */
export async function lockById(db: Db, id: string): Promise<UserRow | null> {
  const locked = await db.$queryRaw<{ id: string }[]>`SELECT id FROM users WHERE id = ${id} FOR UPDATE`;
  return locked.length === 0 ? null : findById(db, id);
}

export function updateRolesAndSeller(
  db: Db,
  id: string,
  data: { roles: Role[]; sellerId: string | null },
): Promise<UserRow> {
  return db.user.update({ where: { id }, data, select: userSelect });
}

export function count(db: Db): Promise<number> {
  return db.user.count();
}

export async function createMany(
  db: Db,
  data: {
    id: string;
    email: string;
    name: string;
    passwordHash: string;
    roles: Role[];
    sellerId: string | null;
  }[],
): Promise<void> {
  await db.user.createMany({ data });
}
