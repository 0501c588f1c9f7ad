import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher } from '../src/subgraph-fetcher.ts';

let server: Server;
let base: string;
const connections = new Set<unknown>();

beforeAll(async () => {
  const requestsOnSocket = new WeakMap<object, number>();
  server = createServer((req, res) => {
    const seen = (requestsOnSocket.get(req.socket) ?? 0) + 1;
    requestsOnSocket.set(req.socket, seen);
    // A server closing a kept-alive connection as the next request arrives (the keep-alive race)…
    if (req.url === '/reset-reused' && seen > 1) return void req.socket.destroy();
    // …and one that resets every connection.
    if (req.url === '/reset-always') return void req.socket.destroy();
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url === '/slow') return; // never answers
      if (req.url === '/text') {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-seen': String(req.headers['x-probe']) })
        .end(JSON.stringify({ method: req.method, body: JSON.parse(body) as unknown }));
    });
  });
  server.on('connection', (socket) => connections.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the subgraph fetcher', () => {
  const fetcher = createSubgraphFetcher({ timeoutMs: 300 });

  it('sends method, headers and body, and reads status, headers and JSON', async () => {
    const response = await fetcher(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-probe': 'yes' },
      body: JSON.stringify({ query: '{ a }' }),
    });
    expect(response.ok).toBe(true);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('x-seen')).toBe('yes');
    expect(await response.json()).toEqual({ method: 'POST', body: { query: '{ a }' } });
  });

  it('reports an error status with its text body', async () => {
    const response = await fetcher(`${base}/text`, { method: 'POST', body: '{}' });
    expect(response.ok).toBe(false);
    expect(response.status).toBe(502);
    expect(response.statusText).toBe('Bad Gateway');
    expect(await response.text()).toBe('bad gateway');
  });

  it('keeps connections alive between calls', async () => {
    const fresh = createSubgraphFetcher({ timeoutMs: 300 }); // its own pool of connections
    connections.clear();
    for (let i = 0; i < 5; i++) await fresh(`${base}/graphql`, { method: 'POST', body: '{}' });
    expect(connections.size).toBe(1);
  });

  it('sends a request again, once, when a kept-alive connection was reset under it', async () => {
    const fresh = createSubgraphFetcher({ timeoutMs: 300 });
    connections.clear();
    await fresh(`${base}/reset-reused`, { method: 'POST', body: '{}' });
    const second = await fresh(`${base}/reset-reused`, { method: 'POST', body: '{}' });
    expect(second.status).toBe(200);
    expect(connections.size).toBe(2); // the reset one, and the fresh one the retry used
  });

  it('does not retry a reset of a fresh connection', async () => {
    const fresh = createSubgraphFetcher({ timeoutMs: 300 });
    await expect(fresh(`${base}/reset-always`, { method: 'POST', body: '{}' })).rejects.toMatchObject({
      code: 'ECONNRESET',
    });
  });

  it('fails a call that gets no answer within the deadline', async () => {
    const started = Date.now();
    await expect(fetcher(`${base}/slow`, { method: 'POST', body: '{}' })).rejects.toThrow(
      /did not answer within 300 ms/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
