import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPaymentSandbox, type PaymentSandbox } from '../src/index.ts';
import { API_KEY, authorization, sandboxClient } from './client.ts';

let dir: string;
let dataFile: string;
let running: PaymentSandbox | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'payment-sandbox-'));
  dataFile = path.join(dir, 'sandbox.ndjson');
});
afterEach(async () => {
  await running?.stop();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(port = 0): Promise<ReturnType<typeof sandboxClient>> {
  running = await startPaymentSandbox({ port, apiKey: API_KEY, dataFile });
  return sandboxClient(running.url);
}

async function restart(): Promise<ReturnType<typeof sandboxClient>> {
  await running?.stop();
  running = undefined;
  return start();
}

describe('with a data file', () => {
  it('keeps authorizations and their states across a restart', async () => {
    let client = await start();
    const request = authorization();
    const captured = await client.authorize(request);
    await client.act(captured.body.id, 'capture');
    const voided = await client.authorize({ ...request, token: 'tok_mastercard' });
    await client.act(voided.body.id, 'void');

    client = await restart();
    expect(await client.listFor(request.reference)).toEqual([
      expect.objectContaining({ id: captured.body.id, status: 'captured' }),
      expect.objectContaining({ id: voided.body.id, status: 'voided' }),
    ]);
    expect((await client.act(captured.body.id, 'refund')).body.status).toBe('refunded');
    expect((await client.act(voided.body.id, 'capture')).status).toBe(409);
  });

  it('keeps idempotency keys across a restart: a retried authorization is replayed, not repeated', async () => {
    let client = await start();
    const key = randomUUID();
    const request = authorization();
    const first = await client.authorize(request, key);

    client = await restart();
    const retried = await client.authorize(request, key);
    expect(retried).toEqual({ status: 201, body: first.body, replayed: true });
    expect(await client.listFor(request.reference)).toHaveLength(1);
    expect((await client.authorize({ ...request, amountMinor: 1 }, key)).status).toBe(409);
  });

  it('ignores a torn last line left by a process killed mid-write, and keeps appending after it', async () => {
    let client = await start();
    const request = authorization();
    const kept = await client.authorize(request);
    await running!.stop();
    running = undefined;
    appendFileSync(dataFile, '{"authorization":{"id":"auth_torn","status":"autho');

    client = await start();
    expect(await client.listFor(request.reference)).toEqual([expect.objectContaining({ id: kept.body.id })]);
    expect(readFileSync(dataFile, 'utf8').endsWith('}\n')).toBe(true);
    const later = await client.authorize(request);
    client = await restart();
    expect((await client.listFor(request.reference)).map((a) => a.id)).toEqual([kept.body.id, later.body.id]);
  });

  it('refuses to start on a data file corrupt before its last line', async () => {
    writeFileSync(dataFile, 'not json\n{}\n');
    await expect(startPaymentSandbox({ port: 0, apiKey: API_KEY, dataFile })).rejects.toThrow(/line 1/);
  });

  it('starts empty without a data file and forgets everything on restart', async () => {
    running = await startPaymentSandbox({ port: 0, apiKey: API_KEY });
    let client = sandboxClient(running.url);
    const request = authorization();
    await client.authorize(request);
    await running.stop();
    running = await startPaymentSandbox({ port: 0, apiKey: API_KEY });
    client = sandboxClient(running.url);
    expect(await client.listFor(request.reference)).toEqual([]);
  });
});
