import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { usersSubgraph } from './subgraph.ts';

// The users subgraph in its own process: `pnpm --filter @mp/users start`.
await runStandalone(usersSubgraph, processEnv());
