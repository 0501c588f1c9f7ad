import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { paymentsSubgraph } from './subgraph.ts';

// The payments subgraph in its own process: `pnpm --filter @mp/payments start`.
await runStandalone(paymentsSubgraph, processEnv());
