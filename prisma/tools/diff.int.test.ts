import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFile, chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { applyMigrations, startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@mp/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createEmptyMigration,
  createMigration,
  diffMigrationsToSchema,
  freePort,
  LOCKFILE_NAME,
} from './diff.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliPath = path.join(repoRoot, 'prisma/tools/diff-cli.ts');

const SCHEMA = `generator client {
  provider = "prisma-client"
  output   = "./generated"
}

datasource db {
  provider = "postgresql"
}

enum Role {
  CUSTOMER
  ADMIN
}

model User {
  id     String  @id @default(uuid())
  email  String  @unique
  role   Role    @default(CUSTOMER)
  orders Order[]
}

model Order {
  id        Int      @id @default(autoincrement())
  userId    String
  user      User     @relation(fields: [userId], references: [id])
  total     Decimal  @db.Decimal(12, 2)
  createdAt DateTime @default(now())

  @@unique([userId, createdAt])
}
`;

// What the hand-written migration below creates and Prisma can describe, declared for the check.
const SEARCH_FIELD = `  total     Decimal  @db.Decimal(12, 2)
  search    Unsupported("tsvector")? @default(dbgenerated())

  @@index([search], type: Gin)`;

const HAND_WRITTEN_SQL = `
ALTER TABLE "Order" ADD COLUMN "search" tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', "userId")) STORED;
CREATE INDEX "Order_search_idx" ON "Order" USING GIN ("search");
ALTER TABLE "Order" ADD CONSTRAINT "Order_total_nonnegative" CHECK ("total" >= 0);
CREATE INDEX "Order_lower_user_idx" ON "Order" (lower("userId"));
CREATE INDEX "Order_large_idx" ON "Order" ("total") WHERE "total" > 1000;
-- A ";" inside a dollar-quoted body: the shadow replay must not split the script on it.
CREATE FUNCTION order_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."createdAt" := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER order_touch BEFORE UPDATE ON "Order" FOR EACH ROW EXECUTE FUNCTION order_touch();
`;

/** SQL statements without Prisma's `-- Comment` lines and blank lines. */
function statements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.startsWith('--') && line.trim() !== '')
    .join('\n')
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', cliPath, ...args],
      { cwd: repoRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('db:diff against PostgreSQL', () => {
  let tmp: string;
  let server: EmbeddedPostgresHandle | undefined;
  let adminUrl: string;
  let databaseUrl: string;
  const database = `diff_int_${randomUUID().slice(0, 8)}`;
  let prismaDir: string;
  let schemaPath: string;
  let migrationsDir: string;
  let shadowDatabasesBefore: string[];

  async function shadowDatabases(): Promise<string[]> {
    const rows = await query<{ datname: string }>(
      adminUrl,
      `SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%' ORDER BY 1`,
    );
    return rows.map((r) => r.datname);
  }

  async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'mp-diff-int-'));
    await chmod(tmp, 0o755);
    // The root vitest config provides a shared server; run standalone, start our own.
    const provided = inject('postgresAdminUrl') as string | undefined;
    if (provided) {
      adminUrl = provided;
    } else {
      server = await startEmbeddedPostgres({
        dataDir: path.join(tmp, 'pg'),
        port: await freePort(),
      });
      adminUrl = server.urlFor('postgres');
    }
    shadowDatabasesBefore = await shadowDatabases();
    await query(adminUrl, `CREATE DATABASE "${database}"`);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    databaseUrl = url.toString();

    prismaDir = path.join(tmp, 'prisma');
    schemaPath = path.join(prismaDir, 'shop', 'schema.prisma');
    migrationsDir = path.join(prismaDir, 'shop', 'migrations');
    await mkdir(path.dirname(schemaPath), { recursive: true });
    await writeFile(schemaPath, SCHEMA);
  });

  afterAll(async () => {
    if (adminUrl) await query(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await server?.stop();
    await rm(tmp, { recursive: true, force: true });
  });

  it('writes an init migration from an empty history that applies cleanly', async () => {
    const cli = await runCli(['shop', 'init', '--prisma-dir', prismaDir, '--shadow-url', adminUrl]);
    expect(cli.code).toBe(0);
    const folders = (await readdir(migrationsDir)).filter((n) => n !== LOCKFILE_NAME);
    expect(folders).toHaveLength(1);
    const name = folders[0]!;
    expect(name).toMatch(/^\d{14}_init$/);
    const sql = await readFile(path.join(migrationsDir, name, 'migration.sql'), 'utf8');
    expect(sql).toContain(`CREATE TYPE "Role" AS ENUM ('CUSTOMER', 'ADMIN');`);
    expect(sql).toContain('CREATE TABLE "User"');
    expect(sql).toContain('CREATE UNIQUE INDEX "User_email_key"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Order_userId_createdAt_key"');
    expect(sql).toContain('FOREIGN KEY ("userId") REFERENCES "User"("id")');
    expect(await readFile(path.join(migrationsDir, LOCKFILE_NAME), 'utf8')).toContain(
      'provider = "postgresql"',
    );

    expect(await applyMigrations(databaseUrl, migrationsDir)).toEqual({
      applied: [name],
      alreadyApplied: [],
    });
    const tables = await query<{ table_name: string }>(
      databaseUrl,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(['Order', 'User', '_prisma_migrations']);
  });

  it('finds nothing to do when the migrations match the schema', async () => {
    const diff = await diffMigrationsToSchema({
      schemaPath,
      migrationsDir,
      shadowDatabaseUrl: adminUrl,
    });
    expect(diff.isEmpty).toBe(true);
    const before = await readdir(migrationsDir);
    expect(
      await createMigration({
        schemaPath,
        migrationsDir,
        name: 'noop',
        shadowDatabaseUrl: adminUrl,
      }),
    ).toBeNull();
    expect(await readdir(migrationsDir)).toEqual(before);
  });

  it('diffs an added column to exactly one ALTER, and --check fails until it is migrated', async () => {
    await writeFile(
      schemaPath,
      SCHEMA.replace(
        '  role   Role    @default(CUSTOMER)',
        '  role   Role    @default(CUSTOMER)\n  nickname String?',
      ),
    );
    const check = await runCli(['--check', '--prisma-dir', prismaDir, '--shadow-url', adminUrl]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('MISSING shop');
    expect(check.stdout).toContain('ADD COLUMN');

    const created = await createMigration({
      schemaPath,
      migrationsDir,
      name: 'add nickname',
      shadowDatabaseUrl: adminUrl,
    });
    expect(created?.name).toMatch(/^\d{14}_add_nickname$/);
    expect(statements(created!.sql)).toEqual(['ALTER TABLE "User" ADD COLUMN "nickname" TEXT']);
    const result = await applyMigrations(databaseUrl, migrationsDir);
    expect(result.applied).toEqual([created!.name]);
    expect(result.alreadyApplied).toHaveLength(1);
  });

  it('tolerates hand-written SQL once what Prisma can see is declared in the schema', async () => {
    const handWritten = await createEmptyMigration({ migrationsDir, name: 'order_search' });
    await appendFile(handWritten.path, HAND_WRITTEN_SQL);
    const migrations = (await readdir(migrationsDir)).filter((n) => n !== LOCKFILE_NAME);
    expect(migrations.at(-1)).toBe(handWritten.name);

    // Undeclared, the generated column and its GIN index read as drift to be dropped...
    const undeclared = await diffMigrationsToSchema({
      schemaPath,
      migrationsDir,
      shadowDatabaseUrl: adminUrl,
    });
    expect(statements(undeclared.sql).sort()).toEqual([
      'ALTER TABLE "Order" DROP COLUMN "search"',
      'DROP INDEX "Order_search_idx"',
    ]);

    // ...declared without dbgenerated(), the generation expression reads as a default to drop...
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(
      schemaPath,
      schema.replace(
        '  total     Decimal  @db.Decimal(12, 2)',
        SEARCH_FIELD.replace(' @default(dbgenerated())', ''),
      ),
    );
    const withoutDefault = await diffMigrationsToSchema({
      schemaPath,
      migrationsDir,
      shadowDatabaseUrl: adminUrl,
    });
    expect(statements(withoutDefault.sql)).toEqual([
      'ALTER TABLE "Order" ALTER COLUMN "search" DROP DEFAULT',
    ]);

    // ...declared, nothing is missing. CHECK, expression and partial indexes, function, trigger: never shown.
    await writeFile(schemaPath, schema.replace('  total     Decimal  @db.Decimal(12, 2)', SEARCH_FIELD));
    const check = await runCli(['--check', '--prisma-dir', prismaDir, '--shadow-url', adminUrl]);
    expect(check.stdout).toContain('ok      shop');
    expect(check.code).toBe(0);

    expect((await applyMigrations(databaseUrl, migrationsDir)).applied).toEqual([handWritten.name]);
  });

  it('leaves no shadow database behind', async () => {
    expect(await shadowDatabases()).toEqual(shadowDatabasesBefore);
  });
});
