// `pnpm start`'s process stopped as a process manager stops it: SIGTERM to the Node process alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { contractOperation, gatewayClient } from '@mp/testkit';
import { afterAll, expect, it } from 'vitest';
import { DEMO, login } from './helpers.ts';
import { freePostgresPort, spawnAllInOne, type AllInOneProcess } from './process.ts';
import { connect } from './realtime.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'mp-shutdown-'));
let running: AllInOneProcess | undefined;

afterAll(async () => {
  await running?.stop(); // only if the test failed before the process exited
  rmSync(dataDir, { recursive: true, force: true });
});

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connectTcp(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.destroy() && true));
    socket.once('error', () => resolve(false));
  });

it('on SIGTERM completes every subscription, stops its PostgreSQL and exits 0', async () => {
  const postgresPort = await freePostgresPort();
  // production: signal handling differs there (Apollo Server registers its own handlers outside tests).
  running = await spawnAllInOne({
    dataDir,
    postgresPort,
    env: { NODE_ENV: 'production', CARRIER_SIMULATOR_STEP_MS: '0' },
  });
  const seller = await login(gatewayClient(running.gatewayUrl), DEMO.seller);
  const connection = connect(running.gatewayUrl, seller.accessToken);
  const feed = connection.follow(contractOperation('SellerOrderFeed'));
  await connection.connected;
  await new Promise((resolve) => setTimeout(resolve, 200)); // the subscription is registered
  expect(await accepts(postgresPort)).toBe(true);

  expect(await running.terminate()).toBe(0);
  await feed.ended();
  expect(feed.completed).toBe(true);
  expect(feed.errors).toBeNull();
  expect(connection.closed()?.code).toBe(1001);
  expect(await accepts(postgresPort)).toBe(false);
  running = undefined;
  await connection.close();
}, 120_000);
