import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { catalogSubgraph } from './subgraph.ts';

// The catalog subgraph in its own process: `pnpm --filter @mp/catalog start`.
await runStandalone(catalogSubgraph, processEnv());
