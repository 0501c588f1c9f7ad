import { GATEWAY_CREDENTIAL_HEADER, type Identity } from '@mp/auth';
import { createInProcessBus, type EventBus } from '@mp/events';
import { startSubgraph, type RunningSubgraph, type SubgraphDefinition, type SubgraphEnv } from '@mp/kit';
import { createTestAuth, type TestAuth } from './auth.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

/** POSTs a GraphQL operation as clients do and returns the HTTP status with the JSON body. */
export async function postGraphQL<TData>(
  url: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  headers: Record<string, string>,
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}

export interface RequestOptions {
  /** Who calls; omitted = anonymous. */
  as?: Partial<Identity> & { userId: string };
  /** Raw Authorization header value, to test bad tokens. */
  authorization?: string;
  /** false = send no gateway credential; a string = send this credential. */
  credential?: false | string;
}

export interface TestSubgraph {
  running: RunningSubgraph;
  database: TestDatabase;
  auth: TestAuth;
  bus: EventBus;
  request: <TData = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ) => Promise<GraphQLResponse<TData>>;
  stop: () => Promise<void>;
}

/**
 * Starts a real subgraph server on a random port against a fresh migrated database, with requests
 * signed the way the gateway signs them.
 */
export async function startTestSubgraph<TEnv extends SubgraphEnv>(
  definition: SubgraphDefinition<TEnv>,
  adminUrl: string,
  options: { env?: Record<string, string>; bus?: EventBus; auth?: TestAuth; seed?: boolean } = {},
): Promise<TestSubgraph> {
  const database = await createTestDatabase(adminUrl, definition.name, definition.migrationsDir);
  const auth = options.auth ?? (await createTestAuth());
  const bus = options.bus ?? createInProcessBus();
  const running = await startSubgraph(
    definition,
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: database.url,
      GATEWAY_SECRET: auth.gatewaySecret,
      JWT_PUBLIC_KEY: auth.publicKeyPem,
      JWT_PRIVATE_KEY: auth.privateKeyPem,
      ...options.env,
    },
    { bus },
    { seed: options.seed ?? false },
  );
  const request: TestSubgraph['request'] = async (query, variables, requestOptions = {}) => {
    const headers: Record<string, string> = {};
    if (requestOptions.credential !== false) {
      headers[GATEWAY_CREDENTIAL_HEADER] =
        requestOptions.credential ?? (await auth.credentialFor(definition.name));
    }
    if (requestOptions.as) headers.authorization = `Bearer ${await auth.tokenFor(requestOptions.as)}`;
    if (requestOptions.authorization) headers.authorization = requestOptions.authorization;
    return postGraphQL(running.url, query, variables, headers);
  };
  return {
    running,
    database,
    auth,
    bus,
    request,
    async stop() {
      await running.stop();
      if (!options.bus) await bus.close();
      await database.drop();
    },
  };
}
