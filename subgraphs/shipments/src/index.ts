import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { shipmentsSubgraph } from './subgraph.ts';

// The shipments subgraph in its own process: `pnpm --filter @mp/shipments start`.
await runStandalone(shipmentsSubgraph, processEnv());
