// The all-in-one process (and its embedded PostgreSQL) killed with SIGKILL while orders are mid-saga,
// then started again on the same data directory: every order still reaches the end of its saga.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gatewayClient } from '@mp/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO, login, registerBuyer } from './helpers.ts';
import { addToCart, checkInvariants, checkout, listProduct, waitForOrder } from './marketplace.ts';
import { freePostgresPort, spawnAllInOne, type AllInOneProcess } from './process.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'mp-crash-'));
let postgresPort: number | undefined;
let running: AllInOneProcess | undefined;

/** Starts the process; a restart reuses the data directory and PostgreSQL's port. */
const start = async () => {
  postgresPort ??= await freePostgresPort();
  running = await spawnAllInOne({ dataDir, postgresPort, env: { CARRIER_SIMULATOR_STEP_MS: '0' } });
  return gatewayClient(running.gatewayUrl);
};

afterAll(async () => {
  await running?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a crash in the middle of the saga', () => {
  it('brings every order to CONFIRMED or CANCELLED after a restart, with stock and payments consistent', async () => {
    let client = await start();
    const seller = await login(client, DEMO.seller);
    const buyers = await Promise.all(Array.from({ length: 12 }, () => registerBuyer(client)));
    const product = await listProduct(client, seller.accessToken, buyers[0]!.accessToken, { stock: 12 });
    await Promise.all(buyers.map((b) => addToCart(client, b.accessToken, product, 1)));
    const placed = await Promise.all(
      buyers.map((b, i) =>
        checkout(client, b.accessToken, { paymentToken: i % 4 === 3 ? 'tok_declined' : 'tok_visa' }),
      ),
    );
    await running!.kill();

    client = await start();
    const sessions = await Promise.all(
      buyers.map((b) => login(client, { email: b.user.email, password: 'a-long-enough-password' })),
    );
    const final = await Promise.all(
      placed.map((p, i) =>
        waitForOrder(client, sessions[i]!.accessToken, p.order!.id, ['CONFIRMED', 'CANCELLED'], {
          timeoutMs: 30_000,
        }),
      ),
    );
    const confirmed = final.filter((o) => o.status === 'CONFIRMED');
    // Enough stock for all: the 3 declined cards are cancelled, the 9 others confirmed.
    expect(confirmed.length).toBe(9);
    expect(confirmed.every((o) => o.payment?.status === 'AUTHORIZED')).toBe(true);
    await checkInvariants(running!.databaseUrl, new Map([[product, 12]]));
  }, 240_000);
});
