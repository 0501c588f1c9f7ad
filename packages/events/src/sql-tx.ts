/**
 * The one thing this package needs from a database transaction: Prisma's tagged-template `$executeRaw`,
 * which sends `${}` values as bind parameters and resolves to the number of affected rows. A Prisma
 * interactive-transaction client satisfies it, and so does `createPgTransactionRunner`'s `tx`.
 */
export interface SqlTx {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): Promise<number>;
}
