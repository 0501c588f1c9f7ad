import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentSandbox, type PaymentSandbox } from '../src/index.ts';
import { API_KEY, authorization, sandboxClient, type ErrorBody } from './client.ts';

let sandbox: PaymentSandbox;
let client: ReturnType<typeof sandboxClient>;

beforeAll(async () => {
  sandbox = await startPaymentSandbox({ port: 0, apiKey: API_KEY });
  client = sandboxClient(sandbox.url);
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('authentication', () => {
  it('refuses every /v1 route without the API key, or with another one', async () => {
    const anonymous = await client.call<ErrorBody>('GET', '/v1/payment-methods/tok_visa', { auth: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const wrong = await client.call<ErrorBody>('POST', '/v1/authorizations', {
      body: authorization(),
      auth: 'Bearer some-other-key-0123456789',
    });
    expect(wrong.status).toBe(401);
    const list = await client.call('GET', '/v1/authorizations?reference=x', { auth: `Basic ${API_KEY}` });
    expect(list.status).toBe(401);
  });

  it('answers /health without a key', async () => {
    const response = await fetch(`${sandbox.url}/health`);
    expect(response.status).toBe(200);
  });
});

describe('GET /v1/payment-methods/:token', () => {
  it('describes every test card, including the ones that misbehave at authorization', async () => {
    for (const [token, brand] of [
      ['tok_visa', 'visa'],
      ['tok_mastercard', 'mastercard'],
      ['tok_declined', 'visa'],
      ['tok_unavailable', 'visa'],
    ] as const) {
      const answer = await client.call<{ token: string; brand: string; last4: string }>(
        'GET',
        `/v1/payment-methods/${token}`,
      );
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ token, brand, last4: expect.stringMatching(/^\d{4}$/) });
    }
  });

  it('answers 404 unknown_token for a token it does not know', async () => {
    const answer = await client.call<ErrorBody>('GET', '/v1/payment-methods/tok_nope');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('unknown_token');
    expect(answer.body.error.message).toContain('tok_nope');
  });
});

describe('POST /v1/authorizations', () => {
  it('authorizes tok_visa and tok_mastercard with 201 and the authorization', async () => {
    for (const token of ['tok_visa', 'tok_mastercard']) {
      const request = authorization({ token });
      const answer = await client.authorize(request);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ ...request, status: 'authorized', id: expect.any(String) });
      expect(await client.listFor(request.reference)).toEqual([
        expect.objectContaining({ id: answer.body.id }),
      ]);
    }
  });

  it('declines tok_declined with 402 card_declined and keeps no authorization', async () => {
    const request = authorization({ token: 'tok_declined' });
    const answer = await client.authorize(request);
    expect(answer.status).toBe(402);
    expect(answer.body.error.code).toBe('card_declined');
    expect(await client.listFor(request.reference)).toEqual([]);
  });

  it('fails tok_unavailable with 503 and keeps no authorization', async () => {
    const request = authorization({ token: 'tok_unavailable' });
    const answer = await client.authorize(request);
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('provider_unavailable');
    expect(await client.listFor(request.reference)).toEqual([]);
  });

  it('rejects an unknown token with 400 invalid_token naming it', async () => {
    const answer = await client.authorize(authorization({ token: 'tok_made_up' }));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_token', field: 'token' });
    expect(answer.body.error.message).toContain('tok_made_up');
  });

  it('rejects an invalid body with 400 and a message naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [authorization({ amountMinor: 0 }), 'amountMinor'],
      [authorization({ amountMinor: 10.5 }), 'amountMinor'],
      [authorization({ currencyCode: 'euro' }), 'currencyCode'],
      [authorization({ reference: '' }), 'reference'],
      [{ amountMinor: 100, currencyCode: 'EUR', reference: 'r' }, 'token'],
    ];
    for (const [body, field] of cases) {
      const answer = await client.authorize(body);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
      expect(answer.body.error.field).toBe(field);
      expect(answer.body.error.message.startsWith(`${field}:`)).toBe(true);
    }
    const notJson = await client.call<ErrorBody>('POST', '/v1/authorizations', { rawBody: '{oops' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.message).toMatch(/not valid JSON/);
  });

  it('requires an Idempotency-Key header', async () => {
    const answer = await client.call<ErrorBody>('POST', '/v1/authorizations', {
      body: authorization(),
      key: null,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('idempotency_key_required');
  });
});

describe('idempotency keys', () => {
  it('replays the stored answer for the same key and body, authorizing only once', async () => {
    const key = randomUUID();
    const request = authorization();
    const first = await client.authorize(request, key);
    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(request).reverse());
    const again = await Promise.all([client.authorize(request, key), client.authorize(reordered, key)]);
    expect(first.replayed).toBe(false);
    for (const answer of again) {
      expect(answer).toEqual({ status: 201, body: first.body, replayed: true });
    }
    expect(await client.listFor(request.reference)).toHaveLength(1);
  });

  it('replays 4xx answers too: a declined key stays declined', async () => {
    const key = randomUUID();
    const request = authorization({ token: 'tok_declined' });
    const first = await client.authorize(request, key);
    const again = await client.authorize(request, key);
    expect(first.status).toBe(402);
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('does not store 5xx answers: the same key runs again', async () => {
    const key = randomUUID();
    const request = authorization({ token: 'tok_unavailable' });
    expect((await client.authorize(request, key)).status).toBe(503);
    const retried = await client.authorize(request, key);
    expect(retried).toMatchObject({ status: 503, replayed: false });
    // Nothing was stored under the key, so it may still carry a different request.
    const other = await client.authorize({ ...request, token: 'tok_visa' }, key);
    expect(other.status).toBe(201);
  });

  it('answers 409 idempotency_key_reused for the same key with another body or endpoint', async () => {
    const key = randomUUID();
    const request = authorization();
    const created = await client.authorize(request, key);
    const otherBody = await client.authorize({ ...request, amountMinor: 5_000 }, key);
    expect(otherBody.status).toBe(409);
    expect(otherBody.body.error.code).toBe('idempotency_key_reused');
    expect(otherBody.body.error.message).toContain(key);
    const otherEndpoint = await client.act(created.body.id, 'capture', key);
    expect(otherEndpoint.status).toBe(409);
    expect(otherEndpoint.body.error.code).toBe('idempotency_key_reused');
    expect(await client.listFor(request.reference)).toEqual([
      expect.objectContaining({ status: 'authorized', amountMinor: 4_999 }),
    ]);
  });
});

describe('capture, void and refund', () => {
  async function authorized() {
    const answer = await client.authorize(authorization());
    expect(answer.status).toBe(201);
    return answer.body.id;
  }

  it('captures an authorization, then refunds it', async () => {
    const id = await authorized();
    const captured = await client.act(id, 'capture');
    expect(captured).toMatchObject({ status: 200, body: { id, status: 'captured' } });
    const refunded = await client.act(id, 'refund');
    expect(refunded).toMatchObject({ status: 200, body: { id, status: 'refunded' } });
    const read = await client.call('GET', `/v1/authorizations/${id}`);
    expect(read.body).toMatchObject({ id, status: 'refunded' });
  });

  it('voids an authorization, after which it can be neither captured nor refunded', async () => {
    const id = await authorized();
    expect((await client.act(id, 'void')).body.status).toBe('voided');
    for (const action of ['capture', 'void', 'refund'] as const) {
      const answer = await client.act(id, action);
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('invalid_state');
      expect(answer.body.error.message).toContain('voided');
    }
  });

  it('refuses to refund an uncaptured authorization or to void a captured one', async () => {
    const id = await authorized();
    expect((await client.act(id, 'refund')).status).toBe(409);
    expect((await client.act(id, 'capture')).status).toBe(200);
    expect((await client.act(id, 'capture')).status).toBe(409);
    expect((await client.act(id, 'void')).status).toBe(409);
  });

  it('replays a transition for its key instead of failing on the new state', async () => {
    const id = await authorized();
    const key = randomUUID();
    const first = await client.act(id, 'capture', key);
    const again = await client.act(id, 'capture', key);
    expect(first.status).toBe(200);
    expect(again).toEqual({ ...first, replayed: true });
  });

  it('answers 404 for an authorization it never made', async () => {
    for (const action of ['capture', 'void', 'refund'] as const) {
      const answer = await client.act('auth_never_made', action);
      expect(answer.status).toBe(404);
      expect(answer.body.error.code).toBe('unknown_authorization');
    }
    expect((await client.call('GET', '/v1/authorizations/auth_never_made')).status).toBe(404);
  });
});

describe('GET /v1/authorizations', () => {
  it('lists the authorizations of a reference, and needs the reference', async () => {
    const reference = `order-${randomUUID()}`;
    await client.authorize(authorization({ reference }));
    await client.authorize(authorization({ reference, token: 'tok_mastercard' }));
    await client.authorize(authorization());
    expect((await client.listFor(reference)).map((a) => a.token)).toEqual(['tok_visa', 'tok_mastercard']);
    const missing = await client.call<ErrorBody>('GET', '/v1/authorizations');
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('reference');
  });
});

describe('an unavailable provider that hangs', () => {
  it('keeps tok_unavailable waiting for unavailableDelayMs, then answers 503', async () => {
    const slow = await startPaymentSandbox({ port: 0, apiKey: API_KEY, unavailableDelayMs: 300 });
    try {
      const started = Date.now();
      const answer = await sandboxClient(slow.url).authorize(authorization({ token: 'tok_unavailable' }));
      expect(answer.status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      // A client with a shorter timeout gives up first.
      const timedOut = fetch(`${slow.url}/v1/authorizations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'idempotency-key': randomUUID() },
        body: JSON.stringify(authorization({ token: 'tok_unavailable' })),
        signal: AbortSignal.timeout(50),
      });
      await expect(timedOut).rejects.toThrow(/timeout|aborted/i);
    } finally {
      await slow.stop();
    }
  });

  it('stops at once even while a request is hanging', async () => {
    const slow = await startPaymentSandbox({ port: 0, apiKey: API_KEY, unavailableDelayMs: 60_000 });
    const hanging = sandboxClient(slow.url)
      .authorize(authorization({ token: 'tok_unavailable' }))
      .catch(() => null);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await slow.stop();
    await hanging;
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('request log', () => {
  it('records each answered request with its key and whether it was replayed', async () => {
    const key = randomUUID();
    const request = authorization();
    await client.authorize(request, key);
    await client.authorize(request, key);
    const mine = sandbox.requests().filter((r) => r.idempotencyKey === key);
    expect(mine).toEqual([
      { method: 'POST', path: '/v1/authorizations', idempotencyKey: key, status: 201, replayed: false },
      { method: 'POST', path: '/v1/authorizations', idempotencyKey: key, status: 201, replayed: true },
    ]);
  });
});
