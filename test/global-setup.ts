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
    server = await startEmbeddedPostgres({
      dataDir: path.join(root, '.data', 'test-postgres'),
      port: Number(process.env.TEST_POSTGRES_PORT ?? 55432),
    });
    adminUrl = server.urlFor('postgres');
  }
  project.provide('postgresAdminUrl', adminUrl);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
