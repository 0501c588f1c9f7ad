// Composes subgraphs/*/schema.graphql into schema/supergraph.graphql (for the gateway) and
// schema/api.graphql (for clients). `--check` fails when the committed files are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from './composition.ts';

const dir = path.dirname(fileURLToPath(import.meta.url));
const targets = { 'supergraph.graphql': 'supergraphSdl', 'api.graphql': 'apiSdl' } as const;
const check = process.argv.includes('--check');
const composed = composeSupergraph();
let stale = false;
for (const [file, key] of Object.entries(targets)) {
  const target = path.join(dir, file);
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is simply stale
  }
  if (current === composed[key]) continue;
  if (check) {
    console.error(`schema/${file} is stale: run \`pnpm compose\` and commit the result`);
    stale = true;
  } else {
    writeFileSync(target, composed[key]);
    console.log(`wrote schema/${file}`);
  }
}
if (stale) process.exit(1);
if (check) console.log('supergraph is up to date');
