import { randomBytes } from 'node:crypto';
import { applyMigrations } from '@mp/db';
import pg from 'pg';

export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/**
 * A fresh database on the shared test server with the given migrations applied. Each test file makes
 * its own, so files never see each other's rows.
 */
export async function createTestDatabase(
  adminUrl: string,
  name: string,
  migrationsDir?: string,
): Promise<TestDatabase> {
  const database = `test_${name.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (migrationsDir) await applyMigrations(url.toString(), migrationsDir);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
