import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { createAccessTokenVerifier, createGatewayCredentialSigner, importPublicKey } from '@mp/auth';
import { closeServer, createErrorFormatter, createHttpServer, listen, sendJson, type Logger } from '@mp/kit';
import { createGatewayContext, type GatewayContext } from './context.ts';
import type { GatewayEnv } from './env.ts';
import { checkSubgraphs } from './health.ts';
import { queryLimitRules } from './limits.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';

export type { GatewayEnv } from './env.ts';
export { loadEnv } from './env.ts';

export interface Gateway {
  http: Server;
  /** Subgraph name → URL the gateway routes to. */
  subgraphUrls: Readonly<Record<string, string>>;
  listen: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * The supergraph's single endpoint: a static supergraph (composed at build time, never introspected at
 * run time), token verification, per-subgraph signed credentials, query limits and health.
 */
export async function createGateway(env: GatewayEnv, log: Logger): Promise<Gateway> {
  const production = env.NODE_ENV === 'production';
  const supergraphSdl = readFileSync(env.SUPERGRAPH_PATH, 'utf8');
  const signCredential = createGatewayCredentialSigner(env.GATEWAY_SECRET);
  const subgraphUrls: Record<string, string> = {};
  const gateway = new ApolloGateway({
    supergraphSdl,
    logger: log,
    buildService: ({ name, url }) => {
      const target = env.subgraphUrls[name] ?? url;
      if (!target) throw new Error(`No URL for subgraph "${name}"; set SUBGRAPH_${name.toUpperCase()}_URL`);
      subgraphUrls[name] = target;
      return new SubgraphDataSource(name, target, signCredential, env.SUBGRAPH_TIMEOUT_MS);
    },
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    csrfPrevention: true,
    includeStacktraceInErrorResponses: !production,
    parseOptions: { maxTokens: env.MAX_TOKENS },
    validationRules: queryLimitRules({
      maxDepth: env.MAX_DEPTH,
      maxAliases: env.MAX_ALIASES,
      maxCost: env.MAX_COST,
    }),
    formatError: createErrorFormatter(log, production),
    plugins: [
      // Responses are per-user and never HTTP-cached; computing cache policies per field is wasted work.
      ApolloServerPluginCacheControlDisabled(),
      production
        ? ApolloServerPluginLandingPageDisabled()
        : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();
  const verify = createAccessTokenVerifier(await importPublicKey(env.JWT_PUBLIC_KEY));
  const http = createHttpServer<GatewayContext>({
    apollo,
    context: (req) => createGatewayContext(req, verify),
    maxBodyBytes: env.MAX_BODY_BYTES,
    routes: {
      '/health': async (_req, res) => {
        const subgraphs = await checkSubgraphs(subgraphUrls);
        const ok = subgraphs.length > 0 && subgraphs.every((s) => s.ok);
        sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', subgraphs });
      },
    },
  });
  return {
    http,
    subgraphUrls,
    listen: () => listen(http, env.PORT, env.HOST),
    async stop() {
      await closeServer(http);
      await apollo.stop();
    },
  };
}
