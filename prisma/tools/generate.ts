// Generates the Prisma client of every subgraph database (prisma/<subgraph>/schema.prisma).
// `prisma generate` never runs the schema engine, but the CLI insists that one exists; any executable
// satisfies it, which keeps it from trying to download the binary (no network on the build machines).
import { execFileSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const prismaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemas = readdirSync(prismaDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(prismaDir, e.name, 'schema.prisma')))
  .map((e) => path.join(prismaDir, e.name, 'schema.prisma'));

for (const schema of schemas) {
  execFileSync('prisma', ['generate', '--schema', schema], {
    cwd: prismaDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  console.log(`prisma client generated for ${path.relative(prismaDir, schema)}`);
}
