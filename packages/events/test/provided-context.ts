import type {} from 'vitest';
// What test/global-setup.ts (repository root) provides through vitest's `inject`. The same augmentation
// lives in @mp/testkit, which this package cannot depend on (testkit depends on it).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the shared test PostgreSQL server; each test file creates its own databases on it. */
    postgresAdminUrl: string;
  }
}

export {};
