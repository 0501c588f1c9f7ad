import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { sellersSubgraph } from './subgraph.ts';

// The sellers subgraph in its own process: `pnpm --filter @mp/sellers start`.
await runStandalone(sellersSubgraph, processEnv());
