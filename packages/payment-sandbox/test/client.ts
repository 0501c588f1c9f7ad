// A bare HTTP client for the sandbox tests: every call returns the status, body and replay header.
import { randomUUID } from 'node:crypto';

export const API_KEY = 'sandbox-test-key-0123456789';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  replayed: boolean;
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export interface AuthorizationBody {
  id: string;
  status: string;
  amountMinor: number;
  currencyCode: string;
  reference: string;
  token: string;
}

export function sandboxClient(baseUrl: string, apiKey = API_KEY) {
  async function call<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    options: { body?: unknown; rawBody?: string; key?: string | null; auth?: string | null } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const auth = options.auth === undefined ? `Bearer ${apiKey}` : options.auth;
    if (auth !== null) headers.authorization = auth;
    if (options.key !== null && method === 'POST') headers['idempotency-key'] = options.key ?? randomUUID();
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    });
    return {
      status: response.status,
      body: (await response.json()) as T,
      replayed: response.headers.get('idempotent-replayed') === 'true',
    };
  }
  return {
    call,
    authorize: (body: Record<string, unknown>, key?: string) =>
      call<AuthorizationBody & ErrorBody>('POST', '/v1/authorizations', { body, key }),
    act: (id: string, action: 'capture' | 'void' | 'refund', key?: string) =>
      call<AuthorizationBody & ErrorBody>('POST', `/v1/authorizations/${id}/${action}`, { key }),
    listFor: async (reference: string) =>
      (
        await call<{ data: AuthorizationBody[] }>(
          'GET',
          `/v1/authorizations?reference=${encodeURIComponent(reference)}`,
        )
      ).body.data,
  };
}

export function authorization(overrides: Record<string, unknown> = {}) {
  return {
    amountMinor: 4_999,
    currencyCode: 'EUR',
    token: 'tok_visa',
    reference: `order-${randomUUID()}`,
    ...overrides,
  };
}
