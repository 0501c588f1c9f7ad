import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { bearerToken, type AccessTokenVerifier, type Identity } from '@mp/auth';
import type { Logger } from '@mp/kit';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type FormattedExecutionResult,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type Context as WsContext, type SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocket, WebSocketServer } from 'ws';
import type { GatewayContext } from '../context.ts';
import type { RealtimePubSub } from './pubsub.ts';
import { SubscriberStream } from './subscriber-stream.ts';
import { SubscriptionHub, type Subscriber } from './subscription-hub.ts';
import { prepareSubscription } from './subscription-query.ts';

export interface RealtimeLimits {
  heartbeatMs: number;
  maxConnections: number;
  maxConnectionsPerUser: number;
  maxSubscriptionsPerConnection: number;
  maxMessageBytes: number;
  /** Payloads a subscriber may have waiting for its socket before it is cut off as too slow. */
  maxQueuedPayloads: number;
  maxTokens: number;
}

export interface RealtimeServerOptions {
  http: Server;
  apollo: ApolloServer<GatewayContext>;
  /** The client-facing schema (the gateway's API schema, subscription fields included). */
  schema: () => GraphQLSchema;
  validationRules: readonly ValidationRule[];
  verify: AccessTokenVerifier;
  pubsub: RealtimePubSub;
  limits: RealtimeLimits;
  log: Logger;
}

export interface RealtimeServer {
  stats: () => { connections: number; subscriptions: number; groups: number };
  /** Completes every subscription, then closes every socket (1001 Going away). */
  stop: () => Promise<void>;
}

interface Connection {
  subscriber: Subscriber;
  streams: Set<SubscriberStream>;
}

/** What onSubscribe hands to graphql-ws's execute/subscribe hooks. */
type OperationContext =
  | { kind: 'subscription'; stream: SubscriberStream }
  | { kind: 'operation'; query: string; variables: Record<string, unknown> | null; subscriber: Subscriber };

const error = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

function tokenFrom(params: Readonly<Record<string, unknown>> | undefined, header: string | undefined) {
  const value = params?.authorization ?? params?.Authorization;
  if (typeof value === 'string') return bearerToken(value.startsWith('Bearer ') ? value : `Bearer ${value}`);
  return bearerToken(header);
}

/**
 * GraphQL over WebSocket (graphql-ws) on the gateway's `/graphql`: subscriptions are resolved by the
 * hub through the federated pipeline; queries and mutations sent over the socket run as over HTTP.
 */
export function attachRealtimeServer(options: RealtimeServerOptions): RealtimeServer {
  const { apollo, limits, log } = options;
  const wss = new WebSocketServer({
    server: options.http,
    path: '/graphql',
    maxPayload: limits.maxMessageBytes,
  });
  const connections = new Map<WsContext, Connection>();
  const perUser = new Map<string, number>();
  let verifying = 0;
  let stopping: Promise<void> | null = null;

  const runAsSubscriber = async (
    query: string,
    variables: Readonly<Record<string, unknown>> | null,
    subscriber: Subscriber,
  ): Promise<FormattedExecutionResult> => {
    const contextValue: GatewayContext = { requestId: randomUUID(), ...subscriber };
    const response = await apollo.executeOperation({ query, variables: { ...variables } }, { contextValue });
    if (response.body.kind !== 'single')
      throw new Error('incremental delivery is not supported over graphql-ws');
    return response.body.singleResult;
  };

  const hub = new SubscriptionHub({
    pubsub: options.pubsub,
    resolve: runAsSubscriber,
    checkToken: options.verify,
    maxPendingItems: limits.maxQueuedPayloads,
    log,
  });

  const socketOf = (ctx: WsContext) => (ctx.extra as { socket: WebSocket }).socket;
  const refuse = (ctx: WsContext, reason: string) => {
    socketOf(ctx).close(CloseCode.Forbidden, reason.slice(0, 120)); // a close reason is at most 123 bytes
    return false;
  };

  const server = useServer<Record<string, unknown>, { request: { headers: Record<string, unknown> } }>(
    {
      connectionInitWaitTimeout: 5_000,
      onConnect: async (ctx) => {
        if (stopping) return refuse(ctx, 'The gateway is shutting down; reconnect to another replica');
        // Connections still verifying their token count too, so a burst cannot overshoot the limit.
        if (connections.size + verifying >= limits.maxConnections) {
          return refuse(ctx, 'Too many connections to this gateway');
        }
        let identity: Identity | null = null;
        let token: string | null = null;
        verifying += 1;
        try {
          const header = ctx.extra.request.headers.authorization;
          token = tokenFrom(ctx.connectionParams, typeof header === 'string' ? header : undefined) ?? null;
          identity = token ? await options.verify(token) : null;
        } catch (cause) {
          return refuse(ctx, `Forbidden: ${(cause as Error).message}`);
        } finally {
          verifying -= 1;
        }
        // Closed while its token was being checked: onClose has run already, so nothing may be kept.
        if (socketOf(ctx).readyState !== WebSocket.OPEN) return false;
        if (identity) {
          const open = perUser.get(identity.userId) ?? 0;
          if (open >= limits.maxConnectionsPerUser) {
            return refuse(
              ctx,
              `Too many connections for this user (at most ${limits.maxConnectionsPerUser})`,
            );
          }
          perUser.set(identity.userId, open + 1);
        }
        connections.set(ctx, { subscriber: { token, identity }, streams: new Set() });
        return true;
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx);
        if (!connection) return;
        connections.delete(ctx);
        for (const stream of connection.streams) stream.end();
        const userId = connection.subscriber.identity?.userId;
        if (userId) {
          const open = (perUser.get(userId) ?? 1) - 1;
          if (open > 0) perUser.set(userId, open);
          else perUser.delete(userId);
        }
      },
      onSubscribe: async (ctx, _id, payload: SubscribePayload) => {
        const connection = connections.get(ctx);
        if (!connection) return [error('Connection not initialised', 'UNAUTHENTICATED')];
        let document: DocumentNode;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (cause) {
          return [error((cause as Error).message, 'GRAPHQL_PARSE_FAILED')];
        }
        const schema = options.schema();
        const invalid = validate(schema, document, [...specifiedRules, ...options.validationRules]);
        if (invalid.length > 0) {
          return invalid.map((e) => error(e.message, 'GRAPHQL_VALIDATION_FAILED'));
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [error('Name the operation to run (operationName)', 'BAD_REQUEST')];
        const base = {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
        };
        if (operation.operation !== 'subscription') {
          const contextValue: OperationContext = {
            kind: 'operation',
            query: payload.query,
            variables: payload.variables ?? null,
            subscriber: connection.subscriber,
          };
          return { ...base, contextValue } satisfies ExecutionArgs;
        }
        if (connection.streams.size >= limits.maxSubscriptionsPerConnection) {
          return [
            error(
              `At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection`,
              'TOO_MANY_SUBSCRIPTIONS',
            ),
          ];
        }
        const prepared = prepareSubscription(schema, document, payload.operationName, payload.variables);
        if (Array.isArray(prepared)) return prepared;
        const stream = new SubscriberStream(limits.maxQueuedPayloads);
        connection.streams.add(stream);
        stream.onEnd(() => connection.streams.delete(stream));
        const refusal = await hub.join(
          prepared as Exclude<typeof prepared, readonly GraphQLError[]>,
          connection.subscriber,
          stream,
        );
        if (refusal) {
          stream.end();
          return refusal.map((e) => new GraphQLError(e.message, { extensions: e.extensions ?? {} }));
        }
        const contextValue: OperationContext = { kind: 'subscription', stream };
        return { ...base, contextValue } satisfies ExecutionArgs;
      },
      // The stream yields payloads Apollo already formatted; onNext below sends them unchanged.
      subscribe: (args) => (args.contextValue as OperationContext & { kind: 'subscription' }).stream as never,
      execute: async (args) => {
        const context = args.contextValue as OperationContext & { kind: 'operation' };
        return runAsSubscriber(context.query, context.variables, context.subscriber) as never;
      },
      // Payloads are already formatted (and masked) by Apollo: send them as they are.
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
    },
    wss,
    limits.heartbeatMs,
  );

  return {
    stats: () => {
      let subscriptions = 0;
      for (const connection of connections.values()) subscriptions += connection.streams.size;
      return { connections: connections.size, subscriptions, groups: hub.stats().groups };
    },
    stop() {
      stopping ??= (async () => {
        await hub.close(); // every stream ends: graphql-ws sends `complete` for each subscription
        await new Promise((resolve) => setTimeout(resolve, 50)); // let those messages reach the sockets
        await server.dispose();
        log.info('realtime server stopped');
      })();
      return stopping;
    },
  };
}
