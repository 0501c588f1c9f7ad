/**
 * What this package needs from a database transaction: Prisma's tagged-template raw API, which sends
 * `${}` values as bind parameters (arrays become PostgreSQL arrays). `$executeRaw` resolves to the
 * number of affected rows, `$queryRaw` to the rows. A Prisma interactive-transaction client satisfies
 * it, and so does `createPgTransactionRunner`'s `tx`.
 */
export interface SqlTx {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
  $queryRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<unknown>;
}
