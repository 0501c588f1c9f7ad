import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, createLogger, listen, type Logger } from '@mp/kit';
import {
  apiError,
  authorize,
  paymentMethod,
  transition,
  type Outcome,
  type Transition,
} from './operations.ts';
import { SandboxStore } from './store.ts';

export interface PaymentSandboxOptions {
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** 0 = a random free port. */
  port: number;
  /** Clients must send `Authorization: Bearer <apiKey>` on every /v1 route. */
  apiKey: string;
  /** NDJSON journal: authorizations and idempotency keys survive a restart. In memory when absent. */
  dataFile?: string;
  /** How long `tok_unavailable` keeps the client waiting before its 503 (past a client's timeout). */
  unavailableDelayMs?: number;
  log?: Logger;
}

/** One request the sandbox answered on a /v1 route, for tests and operators. */
export interface SandboxRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  /** True when the answer was a stored response replayed for a repeated Idempotency-Key. */
  replayed: boolean;
}

export interface PaymentSandbox {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  url: string;
  port: number;
  /** The requests answered since start (the most recent 10,000). */
  requests(): readonly SandboxRequest[];
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_KEY_LENGTH = 255;
const REQUEST_LOG_SIZE = 10_000;

class BadBody extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BadBody(`Request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON with object keys sorted, so the same body in another key order counts as the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function send(res: ServerResponse, outcome: Pick<Outcome, 'status' | 'body'>, replayed = false): void {
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (replayed) headers['idempotent-replayed'] = 'true';
  res.writeHead(outcome.status, headers);
  res.end(JSON.stringify(outcome.body));
}

const TRANSITION_ROUTE = /^\/v1\/authorizations\/([^/]+)\/(capture|void|refund)$/;
const AUTHORIZATION_ROUTE = /^\/v1\/authorizations\/([^/]+)$/;
const PAYMENT_METHOD_ROUTE = /^\/v1\/payment-methods\/([^/]+)$/;

/**
 * Starts the sandbox card provider: a Stripe-like HTTP API over the contract's test tokens, with
 * idempotency keys on every write (same key + same request → the stored answer; same key + another
 * request → 409). See README.md for the routes.
 */
export async function startPaymentSandbox(options: PaymentSandboxOptions): Promise<PaymentSandbox> {
  const log = options.log ?? createLogger('payment-sandbox', 'silent');
  const store = new SandboxStore(options.dataFile);
  const expectedKey = digest(`Bearer ${options.apiKey}`);
  const delay = Math.max(0, options.unavailableDelayMs ?? 0);
  const requestLog: SandboxRequest[] = [];
  const waiting = new Set<() => void>();

  function record(entry: SandboxRequest): void {
    requestLog.push(entry);
    if (requestLog.length > REQUEST_LOG_SIZE) requestLog.shift();
    log.debug(entry, 'payment sandbox request');
  }

  /** The unavailable provider's hang; cut short when the sandbox stops. */
  function hang(): Promise<void> {
    if (delay === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      waiting.add(done);
    });
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    return typeof header === 'string' && timingSafeEqual(digest(header), expectedKey);
  }

  function read(method: string, path: string, query: URLSearchParams): Outcome {
    const methodMatch = PAYMENT_METHOD_ROUTE.exec(path);
    if (methodMatch) return paymentMethod(decodeURIComponent(methodMatch[1]!));
    if (path === '/v1/authorizations') {
      const reference = query.get('reference');
      if (!reference) {
        return apiError(400, 'invalid_request', 'reference: the query parameter is required', 'reference');
      }
      return { status: 200, body: { data: store.authorizationsFor(reference) } };
    }
    const one = AUTHORIZATION_ROUTE.exec(path);
    if (one) {
      const authorization = store.authorization(decodeURIComponent(one[1]!));
      return authorization
        ? { status: 200, body: authorization }
        : apiError(404, 'unknown_authorization', `No authorization with id "${one[1]}"`);
    }
    return apiError(404, 'not_found', `No route ${method} ${path}`);
  }

  function write(path: string, body: unknown): Outcome {
    if (path === '/v1/authorizations') return authorize(store, body);
    const match = TRANSITION_ROUTE.exec(path);
    if (match) return transition(store, decodeURIComponent(match[1]!), match[2] as Transition);
    return apiError(404, 'not_found', `No route POST ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/health' && method === 'GET') return send(res, { status: 200, body: { status: 'ok' } });
    const key = req.headers['idempotency-key'];
    const idempotencyKey = typeof key === 'string' && key !== '' ? key : null;
    const answer = (outcome: Pick<Outcome, 'status' | 'body'>, replayed = false) => {
      send(res, outcome, replayed);
      record({ method, path, idempotencyKey, status: outcome.status, replayed });
    };
    if (!path.startsWith('/v1/')) return answer(apiError(404, 'not_found', `No route ${method} ${path}`));
    if (!authorized(req)) {
      return answer(
        apiError(401, 'unauthorized', 'Missing or wrong API key: send "Authorization: Bearer <key>"'),
      );
    }
    if (method === 'GET') return answer(read(method, path, url.searchParams));
    if (method !== 'POST') return answer(apiError(405, 'method_not_allowed', `${method} is not supported`));

    if (idempotencyKey === null || idempotencyKey.length > MAX_KEY_LENGTH) {
      return answer(
        apiError(
          400,
          'idempotency_key_required',
          `Every POST needs an Idempotency-Key header of 1–${MAX_KEY_LENGTH} characters`,
        ),
      );
    }
    const raw = await readBody(req);
    let body: unknown = {};
    let bodyText = raw;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
        bodyText = canonical(body);
      } catch {
        body = undefined;
      }
    } else {
      bodyText = canonical({});
    }
    const fingerprint = digest(`POST ${path}\n${bodyText}`).toString('hex');
    const stored = store.response(idempotencyKey);
    if (stored) {
      if (stored.fingerprint === fingerprint) return answer(stored, true);
      return answer(
        apiError(
          409,
          'idempotency_key_reused',
          `Idempotency-Key "${idempotencyKey}" was already used for another request; use a new key`,
        ),
      );
    }
    const outcome: Outcome =
      body === undefined ? apiError(400, 'invalid_request', 'The body is not valid JSON') : write(path, body);
    if (outcome.unavailable) {
      await hang();
      return answer(outcome);
    }
    // 2xx and 4xx answers are final for this key; 5xx are not stored, so a retry runs again.
    if (outcome.status < 500) {
      store.commit({
        authorization: outcome.authorization,
        response: { key: idempotencyKey, fingerprint, status: outcome.status, body: outcome.body },
      });
    }
    return answer(outcome);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BadBody) {
        if (!res.headersSent) send(res, apiError(413, 'invalid_request', error.message));
        return;
      }
      log.error({ err: error }, 'payment sandbox request failed');
      if (!res.headersSent) send(res, apiError(500, 'internal_error', 'The sandbox failed'));
      else res.end();
    });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port, host);
  log.info({ port }, 'payment sandbox listening');
  return {
    url: `http://${host}:${port}`,
    port,
    requests: () => requestLog.slice(),
    async stop() {
      for (const done of [...waiting]) done();
      await closeServer(server);
    },
  };
}
