import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKcatMockCluster, type KafkaMockCluster } from '@mp/events/testing';
import { createTestDatabase, gatewayClient, type GatewayClient, type TestDatabase } from '@mp/testkit';
import { register } from 'prom-client';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadEnv } from '../src/env.ts';
import { startAllInOne, type AllInOne } from '../src/start.ts';
import { HOSTED_SUBGRAPHS } from '../src/subgraphs.ts';

export interface TestSystem extends AllInOne {
  /** SQL statements each subgraph's request pool has sent so far (from the shared Prometheus registry). */
  statements: () => Promise<Record<string, number>>;
  /** The database of one subgraph, for tests that check what it stored. */
  databaseUrl: (subgraph: string) => string;
}

/**
 * The all-in-one system on random ports, each subgraph on a fresh database of the shared test
 * PostgreSQL, seeded with the demo data.
 */
export async function startTestSystem(
  adminUrl: string,
  dataDir: string,
  extraEnv: Record<string, string> = {},
): Promise<TestSystem> {
  const databases: TestDatabase[] = [];
  const urls: Record<string, string> = {};
  for (const { definition } of HOSTED_SUBGRAPHS) {
    const database = await createTestDatabase(adminUrl, definition.name);
    databases.push(database);
    urls[`${definition.name.toUpperCase()}_DATABASE_URL`] = database.url;
  }
  const system = await startAllInOne(
    loadEnv({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, ...urls, ...extraEnv }),
    {
      randomPorts: true,
    },
  );
  return {
    ...system,
    databaseUrl: (subgraph) => {
      const url = urls[`${subgraph.toUpperCase()}_DATABASE_URL`];
      if (!url) throw new Error(`no subgraph "${subgraph}" in this system`);
      return url;
    },
    async statements() {
      const metric = await register.getSingleMetric('db_statements_total')?.get();
      const counts: Record<string, number> = {};
      // Request pools only: background pools (the payments worker's, labelled `payments-worker`) poll
      // on their own and would make every count drift.
      const served = new Set(HOSTED_SUBGRAPHS.map((h) => h.definition.name));
      for (const value of metric?.values ?? []) {
        const database = String(value.labels.database);
        if (served.has(database)) counts[database] = value.value;
      }
      return counts;
    },
    async stop() {
      await system.stop();
      for (const database of databases) await database.drop();
    },
  };
}

export interface TestSystemOptions {
  /** Run the events through Kafka (a kcat mock cluster started for the suite) instead of in-process. */
  transport?: 'in-process' | 'kafka';
  /** More all-in-one variables, e.g. a faster carrier simulator or payment retry policy. */
  env?: Record<string, string>;
}

/**
 * Registers the suite hooks that start one system for the test file (or the enclosing describe):
 * fresh databases, its own data directory for development keys; and stop it afterwards.
 */
export function useTestSystem(
  onReady: (system: TestSystem, client: GatewayClient) => void,
  options: TestSystemOptions = {},
): void {
  let system: TestSystem | undefined;
  let cluster: KafkaMockCluster | undefined;
  let dataDir: string | undefined;
  beforeAll(async () => {
    // The carrier simulator stays off unless a test asks for it: tests move parcels themselves.
    const extraEnv: Record<string, string> = { CARRIER_SIMULATOR_STEP_MS: '0', ...options.env };
    if (options.transport === 'kafka') {
      cluster = await startKcatMockCluster();
      Object.assign(extraEnv, { EVENT_TRANSPORT: 'kafka', KAFKA_BROKERS: cluster.brokers.join(',') });
    }
    dataDir = mkdtempSync(path.join(tmpdir(), 'mp-e2e-'));
    system = await startTestSystem(inject('postgresAdminUrl'), dataDir, extraEnv);
    onReady(system, gatewayClient(system.gatewayUrl));
  }, 120_000);
  afterAll(async () => {
    await system?.stop();
    await cluster?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
}
