import http from 'node:http';
import https from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';

const IDLE_SOCKET_MS = 4_000;

/** What `RemoteGraphQLDataSource` reads from a response (`@apollo/utils.fetcher`'s FetcherResponse). */
export interface SubgraphResponse {
  readonly bodyUsed: boolean;
  readonly url: string;
  readonly redirected: boolean;
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: ResponseHeaders;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
  clone(): SubgraphResponse;
}

export type SubgraphFetcher = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string | Buffer },
) => Promise<SubgraphResponse>;

/** Read-only response headers over Node's parsed header object (names are lowercase there). */
class ResponseHeaders implements Iterable<[string, string]> {
  constructor(private readonly raw: IncomingHttpHeaders) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  append(): void {
    throw new Error('response headers are read-only');
  }
  delete(): void {
    throw new Error('response headers are read-only');
  }
  set(): void {
    throw new Error('response headers are read-only');
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name)!];
  }
  *keys(): IterableIterator<string> {
    yield* Object.keys(this.raw);
  }
  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

function responseOf(
  url: string,
  status: number,
  statusText: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
) {
  const response: SubgraphResponse = {
    bodyUsed: false,
    url,
    redirected: false,
    status,
    ok: status >= 200 && status < 300,
    statusText,
    headers: new ResponseHeaders(headers),
    arrayBuffer: async () =>
      body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer,
    text: async () => body.toString('utf8'),
    json: async () => JSON.parse(body.toString('utf8')) as unknown,
    clone: () => responseOf(url, status, statusText, headers, body),
  };
  return response;
}

/**
 * The gateway's HTTP client for subgraph calls: Node's own `http` with keep-alive connections and a
 * deadline on the whole exchange. It replaces `fetch` (undici's WHATWG streams, an AbortSignal and a
 * DOMException per call), which took about a third of the gateway thread's CPU under load.
 */
export function createSubgraphFetcher(options: { timeoutMs: number; maxSockets?: number }): SubgraphFetcher {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 256,
    scheduling: 'lifo' as const,
    // An idle connection is closed here before the server's keep-alive timeout (Node's default: 5 s)
    // closes it, so a request is rarely sent on a connection the server is closing.
    timeout: IDLE_SOCKET_MS,
  };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };
  const send: SubgraphFetcher = (url, init = {}) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const client = target.protocol === 'https:' ? https : http;
      const request = client.request(
        target,
        {
          method: init.method ?? 'GET',
          headers: init.headers,
          agent: target.protocol === 'https:' ? agents.https : agents.http,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', fail);
          response.on('end', () => {
            clearTimeout(timer);
            resolve(
              responseOf(
                url,
                response.statusCode ?? 0,
                response.statusMessage ?? '',
                response.headers,
                chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks),
              ),
            );
          });
        },
      );
      const timer = setTimeout(
        () => request.destroy(new Error(`${target.host} did not answer within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      function fail(error: Error) {
        clearTimeout(timer);
        reject(Object.assign(error, { reusedSocket: request.reusedSocket }));
      }
      request.on('error', fail);
      request.end(init.body);
    });
  // When the server closed a kept-alive connection just as the request went out, the request never
  // reached it (Node's documented keep-alive race): sending it once more on a fresh connection is safe.
  return async (url, init) => {
    try {
      return await send(url, init);
    } catch (error) {
      const failure = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
      if (failure.reusedSocket && failure.code === 'ECONNRESET') return send(url, init);
      throw error;
    }
  };
}
