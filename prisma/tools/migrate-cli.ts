// pnpm db:migrate — applies committed migrations to each subgraph's database, for separately run
// services (all-in-one mode migrates at start). URLs: <SUBGRAPH>_DATABASE_URL, e.g. CATALOG_DATABASE_URL.
// `pnpm db:migrate catalog` migrates only that one.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyMigrations } from '@mp/db';

const prismaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const all = readdirSync(prismaDir).filter((name) => existsSync(path.join(prismaDir, name, 'migrations')));
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
const missing = wanted.filter((name) => !process.env[`${name.toUpperCase()}_DATABASE_URL`]);
if (missing.length > 0) {
  console.error(
    `Set ${missing.map((n) => `${n.toUpperCase()}_DATABASE_URL`).join(', ')} (or name the subgraphs to migrate).`,
  );
  process.exit(2);
}
for (const name of wanted) {
  if (!all.includes(name)) {
    console.error(`No migrations for "${name}"; known: ${all.join(', ')}`);
    process.exit(2);
  }
  const result = await applyMigrations(
    process.env[`${name.toUpperCase()}_DATABASE_URL`]!,
    path.join(prismaDir, name, 'migrations'),
  );
  console.log(
    `${name}: applied ${result.applied.length} (${result.applied.join(', ') || 'none'}), ${result.alreadyApplied.length} already applied`,
  );
}
