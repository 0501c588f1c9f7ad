import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { ordersSubgraph } from './subgraph.ts';

// The orders subgraph in its own process: `pnpm --filter @mp/orders start`.
await runStandalone(ordersSubgraph, processEnv());
