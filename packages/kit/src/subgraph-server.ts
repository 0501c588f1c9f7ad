import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { createAccessTokenVerifier, createGatewayCredentialVerifier, importPublicKey } from '@mp/auth';
import { parse, type DocumentNode } from 'graphql';
import { register } from 'prom-client';
import { enforceAccessDirectives } from './access-directives.ts';
import { authenticateRequest, extendContext, type BaseContext, type ContextParts } from './context.ts';
import type { SubgraphEnv } from './env.ts';
import { createErrorFormatter } from './format-error.ts';
import { createHttpServer, sendJson } from './http-server.ts';
import type { Logger } from './logger.ts';

export type { GraphQLResolverMap };

export interface SubgraphServerOptions<TParts extends ContextParts> {
  name: string;
  typeDefs: DocumentNode;
  /**
   * The subgraph's resolver map. Each subgraph checks it against its generated `Resolvers` type, which
   * is stricter than (and not assignable to) @apollo/subgraph's loose GraphQLResolverMap.
   */
  resolvers: object;
  env: SubgraphEnv;
  log: Logger;
  /**
   * The subgraph's per-request parts (fresh DataLoaders, services); the server adds them to the
   * authenticated base context (extendContext), so the context is one object, never a per-request copy.
   */
  contextParts: (base: BaseContext) => TParts;
  /** Throws when a dependency is unreachable; drives `GET /health` (e.g. the database's `ping`). */
  healthCheck: () => Promise<void>;
}

export interface SubgraphServer {
  apollo: ApolloServer<BaseContext>;
  http: Server;
}

/** Reads a subgraph's `schema.graphql`, given as a URL relative to the caller's module. */
export function loadTypeDefs(schemaUrl: URL): DocumentNode {
  return parse(readFileSync(schemaUrl, 'utf8'));
}

export async function createSubgraphServer<TParts extends ContextParts>(
  options: SubgraphServerOptions<TParts>,
): Promise<SubgraphServer> {
  const { env, log } = options;
  const production = env.NODE_ENV === 'production';
  const schema = enforceAccessDirectives(
    buildSubgraphSchema({
      typeDefs: options.typeDefs,
      resolvers: options.resolvers as GraphQLResolverMap<unknown>,
    }),
  );
  const apollo = new ApolloServer<BaseContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter(log, production),
    // The host owns shutdown (subgraph-runner.ts, the all-in-one process) and stops things in order.
    // Apollo's own handler would stop this server and re-raise the signal, killing the process while
    // the host is still draining (and, in all-in-one mode, before it stopped its PostgreSQL).
    stopOnTerminationSignals: false,
    // No Apollo Studio and no HTTP caching of GraphQL responses here: inline traces and cache-control
    // hints would only cost time on every field of every request.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  const auth = {
    verifyCredential: createGatewayCredentialVerifier(env.GATEWAY_SECRET, options.name),
    verifyToken: createAccessTokenVerifier(await importPublicKey(env.JWT_PUBLIC_KEY)),
    log,
  };
  const http = createHttpServer<BaseContext>({
    apollo,
    context: async (req) => {
      const base = await authenticateRequest(req, auth);
      return extendContext(base, options.contextParts(base));
    },
    routes: {
      '/health': async (_req, res) => {
        try {
          await options.healthCheck();
          sendJson(res, 200, { status: 'ok', service: options.name });
        } catch (error) {
          sendJson(res, 503, {
            status: 'unavailable',
            service: options.name,
            error: (error as Error).message,
          });
        }
      },
      '/metrics': async (_req, res) => {
        res.writeHead(200, { 'content-type': register.contentType });
        res.end(await register.metrics());
      },
    },
  });
  return { apollo, http };
}
