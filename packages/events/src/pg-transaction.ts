import type pg from 'pg';
import type { SqlTx } from './sql-tx.ts';

/** A transaction on one pooled pg connection, with Prisma's tagged-template raw API. */
export interface PgTx extends SqlTx {
  /** Rows of a query; `${}` values are bind parameters, as in Prisma's `$queryRaw`. */
  $queryRaw<R extends object = Record<string, unknown>>(
    query: TemplateStringsArray,
    ...values: unknown[]
  ): Promise<R[]>;
}

export interface PgTransactionRunner {
  <R>(fn: (tx: PgTx) => Promise<R>): Promise<R>;
  // Same call; listed last because TypeScript infers from the last overload, which lets
  // `startConsumer(bus, { transaction: runner, handle: (event, tx) => … })` infer `tx: PgTx`.
  (fn: (tx: PgTx) => Promise<void>): Promise<void>;
}

/**
 * A tiny stand-in for `prisma.$transaction(fn)` on a plain pg pool: BEGIN, `fn(tx)`, COMMIT (ROLLBACK
 * and rethrow if `fn` throws). Lets tests, and code without a Prisma client, use `enqueueEvent` and
 * `startConsumer`. Only plain `${value}` interpolation is supported (no `Prisma.sql`/`Prisma.join`).
 */
export function createPgTransactionRunner(pool: pg.Pool): PgTransactionRunner {
  const runner = async <R>(fn: (tx: PgTx) => Promise<R>): Promise<R> => {
    const client = await pool.connect();
    let open = true;
    const run = (strings: TemplateStringsArray, values: unknown[]): Promise<pg.QueryResult> => {
      // Like Prisma, refuse statements after the transaction ended (e.g. a forgotten await).
      if (!open)
        return Promise.reject(
          new Error('Transaction already closed: a statement ran after it committed or rolled back'),
        );
      return client.query(toParameterized(strings), values);
    };
    const tx: PgTx = {
      $executeRaw: async (strings, ...values) => (await run(strings, values)).rowCount ?? 0,
      $queryRaw: async <Row extends object>(strings: TemplateStringsArray, ...values: unknown[]) =>
        (await run(strings, values)).rows as Row[],
    };
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      let result: R;
      try {
        result = await fn(tx);
      } finally {
        open = false;
      }
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.release(broken);
    }
  };
  return runner;
}

/** `a ${x} b ${y} c` → `a $1 b $2 c`. */
export function toParameterized(strings: TemplateStringsArray | readonly string[]): string {
  return strings.reduce((sql, part, i) => `${sql}$${i}${part}`);
}
