import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentSandbox, type PaymentSandbox } from '@mp/payment-sandbox';
import { HttpSandboxProvider } from '../src/provider/http-sandbox-provider.ts';

const API_KEY = 'provider-unit-test-key';
let sandbox: PaymentSandbox;
/** Hangs tok_unavailable for 3 s. */
let hangingSandbox: PaymentSandbox;
let provider: HttpSandboxProvider;

beforeAll(async () => {
  sandbox = await startPaymentSandbox({ port: 0, apiKey: API_KEY });
  hangingSandbox = await startPaymentSandbox({ port: 0, apiKey: API_KEY, unavailableDelayMs: 3_000 });
  provider = new HttpSandboxProvider({ url: sandbox.url, apiKey: API_KEY, timeoutMs: 2_000 });
});
afterAll(async () => {
  await sandbox?.stop();
  await hangingSandbox?.stop();
});

const authorizeRequest = (token = 'tok_visa', reference = `order-${randomUUID()}`) => ({
  idempotencyKey: randomUUID(),
  amountMinor: 1_500,
  currencyCode: 'EUR',
  token,
  reference,
});

describe('HttpSandboxProvider', () => {
  it('returns the authorization on success, and the same one for a repeated key', async () => {
    const request = authorizeRequest();
    const first = await provider.authorize(request);
    expect(first).toEqual({ kind: 'success', value: expect.objectContaining({ status: 'authorized' }) });
    expect(await provider.authorize(request)).toEqual(first);
  });

  it('tells a decline from an invalid payment method', async () => {
    expect(await provider.authorize(authorizeRequest('tok_declined'))).toMatchObject({
      kind: 'declined',
      code: 'card_declined',
    });
    expect(await provider.authorize(authorizeRequest('tok_nope'))).toMatchObject({
      kind: 'invalid',
      status: 400,
      code: 'invalid_token',
      message: expect.stringContaining('tok_nope'),
    });
  });

  it('reports a provider that does not answer in time as transient', async () => {
    const impatient = new HttpSandboxProvider({ url: hangingSandbox.url, apiKey: API_KEY, timeoutMs: 300 });
    const started = Date.now();
    const result = await impatient.authorize(authorizeRequest('tok_unavailable'));
    expect(result).toEqual({
      kind: 'transient',
      message: expect.stringContaining('no answer within 300 ms'),
    });
    // The sandbox would have answered after 3 s.
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('reports a 503 as transient', async () => {
    expect(await provider.authorize(authorizeRequest('tok_unavailable'))).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('503 provider_unavailable'),
    });
  });

  it('reports a refused connection and a non-JSON gateway error as transient', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const nowhere = new HttpSandboxProvider({
      url: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      timeoutMs: 500,
    });
    expect(await nowhere.authorize(authorizeRequest())).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('ECONNREFUSED'),
    });

    const proxy = createServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const behindProxy = new HttpSandboxProvider({
        url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        apiKey: API_KEY,
        timeoutMs: 500,
      });
      expect(await behindProxy.capture({ idempotencyKey: 'k', authorizationId: 'a' })).toMatchObject({
        kind: 'transient',
        message: expect.stringContaining('502'),
      });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('captures, refunds and voids by authorization id; an unknown id is invalid with status 404', async () => {
    const captured = await provider.authorize(authorizeRequest());
    const voided = await provider.authorize(authorizeRequest());
    if (captured.kind !== 'success' || voided.kind !== 'success') throw new Error('authorization failed');
    const capture = await provider.capture({
      idempotencyKey: randomUUID(),
      authorizationId: captured.value.id,
    });
    expect(capture).toMatchObject({ kind: 'success', value: { status: 'captured' } });
    const refund = await provider.refund({
      idempotencyKey: randomUUID(),
      authorizationId: captured.value.id,
    });
    expect(refund).toMatchObject({ kind: 'success', value: { status: 'refunded' } });
    const release = await provider.void({
      idempotencyKey: randomUUID(),
      authorizationId: voided.value.id,
      reference: 'unused',
    });
    expect(release).toMatchObject({ kind: 'success', value: [{ status: 'voided' }] });
    expect(
      await provider.void({ idempotencyKey: randomUUID(), authorizationId: 'auth_never', reference: 'x' }),
    ).toMatchObject({ kind: 'invalid', status: 404 });
  });

  it('voids by reference whatever is still held, and succeeds with nothing when nothing was', async () => {
    const reference = `order-${randomUUID()}`;
    await provider.authorize(authorizeRequest('tok_visa', reference));
    await provider.authorize(authorizeRequest('tok_mastercard', reference));
    const key = randomUUID();
    const released = await provider.void({ idempotencyKey: key, authorizationId: null, reference });
    expect(released).toMatchObject({ kind: 'success', value: [{ status: 'voided' }, { status: 'voided' }] });
    // Repeating the call finds nothing left to release.
    expect(await provider.void({ idempotencyKey: key, authorizationId: null, reference })).toEqual({
      kind: 'success',
      value: [],
    });
    expect(
      await provider.void({ idempotencyKey: randomUUID(), authorizationId: null, reference: 'none' }),
    ).toEqual({ kind: 'success', value: [] });
  });

  it('verifies known tokens and rejects unknown ones', async () => {
    expect(await provider.verify('tok_mastercard')).toEqual({
      kind: 'success',
      value: { token: 'tok_mastercard', brand: 'mastercard', last4: '4444' },
    });
    expect(await provider.verify('tok_nope')).toMatchObject({
      kind: 'invalid',
      status: 404,
      code: 'unknown_token',
    });
  });

  it('treats a wrong API key as transient, so a misconfiguration fixed in time loses no payment', async () => {
    const wrong = new HttpSandboxProvider({ url: sandbox.url, apiKey: 'not-the-key-at-all', timeoutMs: 500 });
    expect(await wrong.authorize(authorizeRequest())).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('401'),
    });
  });
});
