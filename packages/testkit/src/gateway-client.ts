import type { GraphQLResponse } from './subgraph.ts';

export interface GatewayClient {
  /** POSTs an operation; `token` is sent as a Bearer token when given. */
  request: <TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ) => Promise<GraphQLResponse<TData>>;
  /** Like request, but fails the test on any top-level error and returns data. */
  data: <TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
  ) => Promise<TData>;
}

export function gatewayClient(url: string): GatewayClient {
  const request: GatewayClient['request'] = async (query, variables, token) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
    return { status: response.status, ...body } as GraphQLResponse<never>;
  };
  return {
    request,
    async data(query, variables, token) {
      const response = await request(query, variables, token);
      if (response.errors?.length) {
        throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
      }
      return response.data as never;
    },
  };
}
