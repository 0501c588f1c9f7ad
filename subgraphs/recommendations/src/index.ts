import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { recommendationsSubgraph } from './subgraph.ts';

// The recommendations subgraph in its own process: `pnpm --filter @mp/recommendations start`.
await runStandalone(recommendationsSubgraph, processEnv());
