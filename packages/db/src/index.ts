export { startEmbeddedPostgres } from './embedded-postgres.ts';
export type { EmbeddedPostgresHandle, EmbeddedPostgresOptions } from './embedded-postgres.ts';
export { applyMigrations } from './migrate.ts';
export type { MigrationResult } from './migrate.ts';
export { createDatabase } from './pool.ts';
export type { Database } from './pool.ts';
export { openPrismaDatabase } from './prisma-database.ts';
export type { PrismaDatabase } from './prisma-database.ts';
