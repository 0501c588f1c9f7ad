import type { SubgraphDefinition, SubgraphEnv } from '@mp/kit';
import { afterAll, beforeAll, inject } from 'vitest';
import { startTestSubgraph, type TestSubgraph } from './subgraph.ts';

interface Closable {
  close(): Promise<void>;
}

/**
 * Registers the hooks of a subgraph integration test file: start the subgraph on a fresh database of
 * the shared test PostgreSQL (seeded when asked), open `open(databaseUrl)` next to it (the test's own
 * Prisma access, fixtures), hand both to `onReady`; afterwards close what was opened and stop the
 * subgraph.
 */
export function useTestSubgraph<TEnv extends SubgraphEnv, R extends Closable>(
  definition: SubgraphDefinition<TEnv>,
  options: {
    seed?: boolean;
    /** Extra environment variables of the subgraph (e.g. its own settings). */
    env?: Record<string, string>;
    open: (databaseUrl: string) => R;
  },
  onReady: (subgraph: TestSubgraph, opened: R) => void | Promise<void>,
): void {
  let subgraph: TestSubgraph | undefined;
  let opened: R | undefined;
  beforeAll(async () => {
    subgraph = await startTestSubgraph(definition, inject('postgresAdminUrl'), {
      seed: options.seed,
      env: options.env,
    });
    opened = options.open(subgraph.database.url);
    await onReady(subgraph, opened);
  }, 120_000);
  afterAll(async () => {
    await opened?.close();
    await subgraph?.stop();
  });
}
