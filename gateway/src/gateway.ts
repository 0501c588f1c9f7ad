import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
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
import { metricsText } from './metrics.ts';
import { createMemoryPubSub } from './realtime/memory-pubsub.ts';
import type { RealtimePubSub } from './realtime/pubsub.ts';
import { createRedisPubSub } from './realtime/redis-pubsub.ts';
import { attachRealtimeServer } from './realtime/ws-server.ts';
import { SubgraphDataSource } from './subgraph-data-source.ts';

export type { GatewayEnv } from './env.ts';
export { loadEnv } from './env.ts';
export type { RealtimeMessage, RealtimePubSub } from './realtime/pubsub.ts';
export { createRedisPubSub } from './realtime/redis-pubsub.ts';
export { startRealtimeRelay } from './realtime/realtime-relay.ts';

export interface Gateway {
  http: Server;
  /** Subgraph name → URL the gateway routes to. */
  subgraphUrls: Readonly<Record<string, string>>;
  /**
   * Where realtime changes arrive: Redis when REDIS_URL is set (every replica hears every publish),
   * otherwise this process's own pub/sub, fed by whoever hosts the gateway (see `startRealtimeRelay`).
   */
  pubsub: RealtimePubSub;
  listen: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * The supergraph's single endpoint: a static supergraph (composed at build time, never introspected at
 * run time), token verification, per-subgraph signed credentials, query limits and health.
 */
export async function createGateway(env: GatewayEnv, log: Logger): Promise<Gateway> {
  const pubsub = env.REDIS_URL
    ? await createRedisPubSub(env.REDIS_URL, log, { prefix: env.REALTIME_CHANNEL_PREFIX })
    : createMemoryPubSub();
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
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate(({ apiSchema: schema }) => {
    apiSchema = schema;
  });
  const validationRules = queryLimitRules({
    maxDepth: env.MAX_DEPTH,
    maxAliases: env.MAX_ALIASES,
    maxCost: env.MAX_COST,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    csrfPrevention: true,
    // The host process owns shutdown (index.ts, the all-in-one): it stops realtime first, then this.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !production,
    parseOptions: { maxTokens: env.MAX_TOKENS },
    validationRules,
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
      '/metrics': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(metricsText(realtime.stats()));
      },
    },
  });
  const realtime = attachRealtimeServer({
    http,
    apollo,
    schema: () => apiSchema!, // loaded by apollo.start() above
    validationRules,
    verify,
    pubsub,
    limits: {
      heartbeatMs: env.WS_HEARTBEAT_MS,
      maxConnections: env.WS_MAX_CONNECTIONS,
      maxConnectionsPerUser: env.WS_MAX_CONNECTIONS_PER_USER,
      maxSubscriptionsPerConnection: env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION,
      maxMessageBytes: env.WS_MAX_MESSAGE_BYTES,
      maxQueuedPayloads: env.WS_MAX_QUEUED_PAYLOADS,
      maxTokens: env.MAX_TOKENS,
    },
    log: log.child({ component: 'realtime' }),
  });
  return {
    http,
    subgraphUrls,
    pubsub,
    listen: () => listen(http, env.PORT, env.HOST),
    async stop() {
      await realtime.stop();
      await closeServer(http);
      await apollo.stop();
      await pubsub.close();
    },
  };
}
