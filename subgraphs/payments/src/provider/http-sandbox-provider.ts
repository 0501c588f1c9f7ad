import type {
  AuthorizationRequest,
  AuthorizeRequest,
  PaymentMethod,
  PaymentProvider,
  ProviderAuthorization,
  ProviderResult,
  VoidRequest,
} from './payment-provider.ts';

export interface HttpProviderOptions {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  apiKey: string;
  /** A call unanswered after this long is a transient failure. */
  timeoutMs: number;
  /** Aborts calls in progress (shutdown); an aborted call is a transient failure. */
  signal?: AbortSignal;
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** Statuses worth retrying with the same key: the provider could not answer this time. */
const TRANSIENT_STATUSES = new Set([401, 403, 408, 425, 429]);

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (error instanceof Error && error.name === 'AbortError') return 'aborted (shutting down)';
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ? `${message} (${cause.code})` : message;
}

/**
 * The sandbox provider's HTTP API (packages/payment-sandbox), which mirrors Stripe's: Bearer API key,
 * `Idempotency-Key` on every POST, errors as `{ error: { code, message } }`. Uses fetch with
 * AbortSignal.timeout, so a hung provider costs one timeout, never a stuck worker.
 */
export class HttpSandboxProvider implements PaymentProvider {
  constructor(private readonly options: HttpProviderOptions) {}

  verify(token: string): Promise<ProviderResult<PaymentMethod>> {
    return this.send<PaymentMethod>('GET', `/v1/payment-methods/${encodeURIComponent(token)}`);
  }

  authorize(request: AuthorizeRequest): Promise<ProviderResult<ProviderAuthorization>> {
    const { idempotencyKey, ...body } = request;
    return this.send('POST', '/v1/authorizations', { body, idempotencyKey });
  }

  capture(request: AuthorizationRequest): Promise<ProviderResult<ProviderAuthorization>> {
    return this.act(request, 'capture');
  }

  refund(request: AuthorizationRequest): Promise<ProviderResult<ProviderAuthorization>> {
    return this.act(request, 'refund');
  }

  async void(request: VoidRequest): Promise<ProviderResult<ProviderAuthorization[]>> {
    if (request.authorizationId !== null) {
      const voided = await this.act({ ...request, authorizationId: request.authorizationId }, 'void');
      return voided.kind === 'success' ? { kind: 'success', value: [voided.value] } : voided;
    }
    // The authorization's answer never arrived: release whatever was authorized for the reference.
    const listed = await this.send<{ data: ProviderAuthorization[] }>(
      'GET',
      `/v1/authorizations?reference=${encodeURIComponent(request.reference)}`,
    );
    if (listed.kind !== 'success') return listed;
    const voided: ProviderAuthorization[] = [];
    for (const held of listed.value.data.filter((a) => a.status === 'authorized')) {
      // One key per authorization, derived from the call's key, so a retry repeats each void exactly.
      const result = await this.act(
        { idempotencyKey: `${request.idempotencyKey}:${held.id}`, authorizationId: held.id },
        'void',
      );
      if (result.kind !== 'success') return result;
      voided.push(result.value);
    }
    return { kind: 'success', value: voided };
  }

  private act(
    request: AuthorizationRequest,
    action: 'capture' | 'void' | 'refund',
  ): Promise<ProviderResult<ProviderAuthorization>> {
    const path = `/v1/authorizations/${encodeURIComponent(request.authorizationId)}/${action}`;
    return this.send('POST', path, { body: {}, idempotencyKey: request.idempotencyKey });
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    write?: { body: unknown; idempotencyKey: string },
  ): Promise<ProviderResult<T>> {
    const { url, apiKey, timeoutMs } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([timeout, this.options.signal]) : timeout;
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}` };
    if (write) {
      headers['content-type'] = 'application/json';
      headers['idempotency-key'] = write.idempotencyKey;
    }
    let status: number;
    let body: unknown;
    try {
      const response = await fetch(`${url.replace(/\/$/, '')}${path}`, {
        method,
        headers,
        body: write ? JSON.stringify(write.body) : undefined,
        signal,
      });
      status = response.status;
      const text = await response.text();
      try {
        body = text === '' ? null : JSON.parse(text);
      } catch {
        body = null;
      }
    } catch (error) {
      return { kind: 'transient', message: `${method} ${path}: ${describeFailure(error, timeoutMs)}` };
    }
    if (status >= 200 && status < 300 && body !== null) return { kind: 'success', value: body as T };
    const error = (body as ErrorBody | null)?.error;
    const code = error?.code ?? `http_${status}`;
    const message = `${method} ${path}: ${status} ${code}${error?.message ? `: ${error.message}` : ''}`;
    if (status >= 500 || status < 200 || (status < 300 && body === null) || TRANSIENT_STATUSES.has(status)) {
      return { kind: 'transient', message };
    }
    if (status === 402) return { kind: 'declined', code, message };
    return { kind: 'invalid', status, code, message };
  }
}
