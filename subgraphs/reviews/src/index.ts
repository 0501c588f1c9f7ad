import { runStandalone } from '@mp/kit';
import { processEnv } from './env.ts';
import { reviewsSubgraph } from './subgraph.ts';

// The reviews subgraph in its own process: `pnpm --filter @mp/reviews start`.
await runStandalone(reviewsSubgraph, processEnv());
