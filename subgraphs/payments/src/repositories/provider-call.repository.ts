import { randomUUID } from 'node:crypto';
import type {
  Prisma,
  PrismaClient,
  ProviderCallStatus,
  ProviderOperation,
} from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ProviderCallRow {
  /** Also the Idempotency-Key sent to the provider on every attempt. */
  id: string;
  paymentId: string;
  operation: ProviderOperation;
  status: ProviderCallStatus;
  /** Attempts started so far, this one included once claimed. */
  attempts: number;
}

const callSelect = { id: true, paymentId: true, operation: true, status: true, attempts: true } as const;

/**
 * Records the intent to make a provider call, once per payment and operation: a second request of the
 * same operation is a no-op. Returns whether a call was added.
 */
export async function request(
  tx: Prisma.TransactionClient,
  paymentId: string,
  operation: ProviderOperation,
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO provider_calls (id, payment_id, operation)
    VALUES (${randomUUID()}::uuid, ${paymentId}, ${operation}::"ProviderOperation")
    ON CONFLICT (payment_id, operation) DO NOTHING`;
  return inserted > 0;
}

/** The payment's call of this operation, row-locked until the transaction ends (a claim waits). */
export async function lockOperation(
  tx: Prisma.TransactionClient,
  paymentId: string,
  operation: ProviderOperation,
): Promise<ProviderCallRow | null> {
  const rows = await tx.$queryRaw<ProviderCallRow[]>`
    SELECT id::text, payment_id AS "paymentId", operation::text AS operation, status::text AS status, attempts
      FROM provider_calls WHERE payment_id = ${paymentId} AND operation = ${operation}::"ProviderOperation"
       FOR UPDATE`;
  return rows[0] ?? null;
}

/** The call, row-locked until the transaction ends. */
export async function lockById(tx: Prisma.TransactionClient, id: string): Promise<ProviderCallRow | null> {
  const rows = await tx.$queryRaw<ProviderCallRow[]>`
    SELECT id::text, payment_id AS "paymentId", operation::text AS operation, status::text AS status, attempts
      FROM provider_calls WHERE id = ${id}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

export function findByPayment(db: Db, paymentId: string): Promise<ProviderCallRow[]> {
  return db.providerCall.findMany({
    where: { paymentId },
    select: callSelect,
    orderBy: { createdAt: 'asc' },
  });
}

/**
 * Claims up to `limit` due calls for this worker: each gets a lease of `leaseMs` and its attempt counted,
 * in one committed statement. Rows another worker is claiming are skipped, and a leased row is only
 * claimable again once its lease has passed (its worker crashed or hung).
 */
export function claimDue(db: Db, limit: number, leaseMs: number): Promise<ProviderCallRow[]> {
  return db.$queryRaw<ProviderCallRow[]>`
    UPDATE provider_calls AS c
       SET attempts = c.attempts + 1,
           locked_until = now() + ${leaseMs} * interval '1 millisecond',
           updated_at = now()
     WHERE c.id IN (
             SELECT id FROM provider_calls
              WHERE status = 'PENDING' AND next_attempt_at <= now()
                AND (locked_until IS NULL OR locked_until <= now())
              ORDER BY next_attempt_at
              LIMIT ${limit}
                FOR UPDATE SKIP LOCKED)
    RETURNING c.id::text, c.payment_id AS "paymentId", c.operation::text AS operation,
              c.status::text AS status, c.attempts`;
}

/**
 * Takes back claims that were never attempted (the worker was stopping when they arrived): the lease
 * goes and the attempt claimDue counted is uncounted, so stopping never spends a call's attempts.
 */
export async function unclaim(db: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.$executeRaw`
    UPDATE provider_calls SET attempts = attempts - 1, locked_until = NULL, updated_at = now()
     WHERE id = ANY(${[...ids]}::uuid[]) AND status = 'PENDING'`;
}

/** A final outcome: the call will not be made again. */
export async function finish(
  tx: Prisma.TransactionClient,
  id: string,
  status: 'SUCCEEDED' | 'FAILED',
  lastError: string | null = null,
): Promise<void> {
  await tx.providerCall.update({
    where: { id },
    data: { status, lockedUntil: null, ...(lastError === null ? {} : { lastError }) },
    select: { id: true },
  });
}

/** Gives the call back for another attempt after `delayMs` (database time, like the claim). */
export async function retryLater(
  db: Db,
  id: string,
  delayMs: number,
  lastError: string | null,
): Promise<void> {
  await db.$executeRaw`
    UPDATE provider_calls
       SET next_attempt_at = now() + ${delayMs} * interval '1 millisecond', locked_until = NULL,
           last_error = COALESCE(${lastError}, last_error), updated_at = now()
     WHERE id = ${id}::uuid AND status = 'PENDING'`;
}

/** Ends a lease at once without an outcome (the worker is stopping mid-call): due again immediately. */
export async function release(db: Db, id: string): Promise<void> {
  await db.$executeRaw`
    UPDATE provider_calls SET locked_until = NULL, next_attempt_at = now(), updated_at = now()
     WHERE id = ${id}::uuid AND status = 'PENDING'`;
}
