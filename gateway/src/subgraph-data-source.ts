import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { GATEWAY_CREDENTIAL_HEADER } from '@mp/auth';
import type { GatewayContext } from './context.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';

type Fetcher = NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher'];

/**
 * Every request to a subgraph carries the caller's access token (subgraphs verify it themselves), the
 * request id, and a credential signed for that subgraph alone proving it came through the gateway.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraph: string,
    url: string,
    private readonly signCredential: (subgraph: string) => Promise<string>,
    timeoutMs: number,
  ) {
    // A slow subgraph fails its part of the plan instead of hanging the request.
    super({ url, fetcher: createSubgraphFetcher({ timeoutMs }) as Fetcher });
  }

  override async willSendRequest({
    request,
    context,
  }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers) return;
    const requestId = 'requestId' in context ? context.requestId : 'internal';
    headers.set(GATEWAY_CREDENTIAL_HEADER, await this.signCredential(this.subgraph));
    headers.set('x-request-id', requestId);
    if ('token' in context && context.token) headers.set('authorization', `Bearer ${context.token}`);
  }
}
