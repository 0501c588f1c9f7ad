import { postGraphQL, type GraphQLResponse } from './subgraph.ts';

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
  const request: GatewayClient['request'] = (query, variables, token) =>
    postGraphQL(url, query, variables, token ? { authorization: `Bearer ${token}` } : {});
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
