import type {} from 'vitest';
// What test/global-setup.ts provides to every test file through vitest's `inject`.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the shared test PostgreSQL server; each test file creates its own databases on it. */
    postgresAdminUrl: string;
  }
}

export {};
