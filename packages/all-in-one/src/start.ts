import { createHmac } from 'node:crypto';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@mp/db';
import { createEventBus } from '@mp/events';
import {
  createGateway,
  createRedisPubSub,
  loadEnv as loadGatewayEnv,
  startRealtimeRelay,
  type GatewayEnv,
} from '@mp/gateway';
import {
  createLogger,
  startSubgraph,
  type EnvSource,
  type Logger,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@mp/kit';
import { startPaymentSandbox } from '@mp/payment-sandbox';
import { loadOrCreateDevSecrets, type Secrets } from './dev-secrets.ts';
import type { AllInOneEnv } from './env.ts';
import { startGatewayThread, type GatewayHandle } from './gateway-thread.ts';
import { HOSTED_SUBGRAPHS } from './subgraphs.ts';

export interface AllInOne {
  gatewayUrl: string;
  subgraphs: readonly RunningSubgraph[];
  secrets: Secrets;
  /** The sandbox payment provider's base URL (its API key is derived from the gateway secret). */
  paymentProviderUrl: string;
  paymentProviderKey: string;
  /**
   * Stops one subgraph (its server and consumers; the others keep running) and returns how to start it
   * again on the same port: an outage of one service, for failure tests.
   */
  stopSubgraph: (name: string) => Promise<{ restart: () => Promise<void> }>;
  stop: () => Promise<void>;
}

export interface StartOptions {
  /** 0 = random ports for the gateway and every subgraph (tests, benchmarks). */
  randomPorts?: boolean;
}

const CONSUMERS_READY_MS = 60_000;

async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function startGatewayHere(gatewayEnv: GatewayEnv, log: Logger): Promise<GatewayHandle> {
  const gateway = await createGateway(gatewayEnv, log.child({ service: 'gateway' }));
  return {
    port: await gateway.listen(),
    publish: (channel, message) => void gateway.pubsub.publish(channel, message),
    stop: () => gateway.stop(),
  };
}

/** The sandbox provider's API key: derived from the gateway secret, so nothing more to keep. */
function paymentProviderKeyOf(secrets: Secrets): string {
  return createHmac('sha256', secrets.gatewaySecret).update('payment-sandbox').digest('base64url');
}

function secretsFrom(env: AllInOneEnv): Secrets {
  if (env.JWT_PRIVATE_KEY && env.JWT_PUBLIC_KEY && env.GATEWAY_SECRET) {
    return {
      jwtPrivateKey: env.JWT_PRIVATE_KEY,
      jwtPublicKey: env.JWT_PUBLIC_KEY,
      gatewaySecret: env.GATEWAY_SECRET,
    };
  }
  return loadOrCreateDevSecrets(env.DATA_DIR);
}

/**
 * One process, the whole supergraph: embedded PostgreSQL (a database per subgraph) unless URLs are
 * given, migrations, demo data on first start, each subgraph on its own port, and the gateway composing
 * them over real HTTP.
 */
export async function startAllInOne(env: AllInOneEnv, options: StartOptions = {}): Promise<AllInOne> {
  const log = createLogger('all-in-one', env.LOG_LEVEL);
  const secrets = secretsFrom(env);
  // In-process unless configured otherwise; held until every consumer has subscribed (see open() below).
  const events = createEventBus(env, { clientId: 'all-in-one', log, holdUntilOpened: true });
  const { bus } = events;
  let postgres: EmbeddedPostgresHandle | undefined;
  const missing = HOSTED_SUBGRAPHS.map((s) => s.definition.name).filter((name) => !env.databaseUrls[name]);
  if (missing.length > 0) {
    postgres = await startEmbeddedPostgres({
      dataDir: `${env.DATA_DIR}/postgres`,
      port: env.EMBEDDED_POSTGRES_PORT,
    });
    await postgres.ensureDatabases(missing.map((name) => `marketplace_${name}`));
  }
  const paymentProviderKey = paymentProviderKeyOf(secrets);
  // The card provider is a service of its own (as a real one would be), its journal kept in DATA_DIR.
  const paymentSandbox = await startPaymentSandbox({
    port: options.randomPorts ? 0 : env.PAYMENT_SANDBOX_PORT,
    apiKey: paymentProviderKey,
    dataFile: `${env.DATA_DIR}/payment-sandbox.ndjson`,
    log: log.child({ service: 'payment-sandbox' }),
  }).catch(async (error: unknown) => {
    await postgres?.stop();
    throw error;
  });
  const paymentProvider = {
    PAYMENT_PROVIDER_URL: paymentSandbox.url,
    PAYMENT_PROVIDER_API_KEY: paymentProviderKey,
  };
  /** What each subgraph needs beyond the variables they all read. */
  const extraEnvOf: Record<string, EnvSource> = {
    users: { JWT_PRIVATE_KEY: secrets.jwtPrivateKey },
    orders: paymentProvider,
    payments: { ...paymentProvider, ...env.paymentSettings },
    shipments: { CARRIER_SIMULATOR_STEP_MS: String(env.CARRIER_SIMULATOR_STEP_MS) },
    recommendations: env.REDIS_URL ? { REDIS_URL: env.REDIS_URL } : {},
  };
  const sources = new Map<string, EnvSource>();
  const started: RunningSubgraph[] = [];
  let redis: Awaited<ReturnType<typeof createRedisPubSub>> | null = null;
  let gateway: GatewayHandle | undefined;
  const startOne = async (definition: SubgraphDefinition, source: EnvSource, seed: boolean) =>
    startSubgraph(definition, source, { bus }, { seed, logger: log.child({ subgraph: definition.name }) });
  try {
    // Sequential start keeps logs readable and lets the users subgraph consume sellers' events from the start.
    for (const { definition, port } of HOSTED_SUBGRAPHS) {
      const databaseUrl =
        env.databaseUrls[definition.name] ?? postgres!.urlFor(`marketplace_${definition.name}`);
      const source: EnvSource = {
        NODE_ENV: env.NODE_ENV,
        LOG_LEVEL: env.LOG_LEVEL,
        HOST: '127.0.0.1',
        PORT: String(options.randomPorts ? 0 : port),
        DATABASE_URL: databaseUrl,
        GATEWAY_SECRET: secrets.gatewaySecret,
        JWT_PUBLIC_KEY: secrets.jwtPublicKey,
        MIGRATE_ON_START: 'true',
        ...extraEnvOf[definition.name],
      };
      const running = await startOne(definition, source, env.SEED_DEMO_DATA);
      sources.set(definition.name, { ...source, PORT: String(running.port) });
      started.push(running);
    }
    events.open(); // every consumer has subscribed: relays may deliver now
    // Kafka consumers take a moment to join their groups; "started" means events flow.
    await withDeadline(
      Promise.all(started.map((s) => s.ready)),
      CONSUMERS_READY_MS,
      `event consumers did not start receiving within ${CONSUMERS_READY_MS / 1000} s (${events.transport} transport${
        events.transport === 'kafka' ? `; are KAFKA_BROKERS=${env.KAFKA_BROKERS.join(',')} reachable?` : ''
      })`,
    );
    log.info({ transport: events.transport }, 'event bus ready');
    const gatewaySource = {
      NODE_ENV: env.NODE_ENV,
      LOG_LEVEL: env.LOG_LEVEL,
      PORT: String(options.randomPorts ? 0 : env.GATEWAY_PORT),
      GATEWAY_SECRET: secrets.gatewaySecret,
      JWT_PUBLIC_KEY: secrets.jwtPublicKey,
      ...(env.REDIS_URL ? { REDIS_URL: env.REDIS_URL } : {}),
      ...env.gatewaySettings,
      ...Object.fromEntries(started.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, s.url])),
    };
    const gatewayEnv = loadGatewayEnv(gatewaySource); // fails fast here, before any thread starts
    // Saga events become realtime changes: straight to this process's gateway, or through Redis when
    // configured, so every gateway sharing that Redis hears them.
    redis = env.REDIS_URL
      ? await createRedisPubSub(env.REDIS_URL, log.child({ service: 'realtime-relay' }))
      : null;
    const running = env.GATEWAY_THREAD
      ? await startGatewayThread(gatewaySource)
      : await startGatewayHere(gatewayEnv, log);
    gateway = running;
    const gatewayPort = running.port;
    const relay = startRealtimeRelay({
      bus,
      group: 'gateway-realtime',
      publish: redis ? redis.publish : running.publish,
      log: log.child({ service: 'realtime-relay' }),
    });
    await relay.ready;
    return {
      gatewayUrl: `http://localhost:${gatewayPort}/graphql`,
      subgraphs: started,
      secrets,
      paymentProviderUrl: paymentSandbox.url,
      paymentProviderKey,
      async stopSubgraph(name) {
        const index = started.findIndex((s) => s.name === name);
        const hosted = HOSTED_SUBGRAPHS.find((s) => s.definition.name === name);
        if (index < 0 || !hosted) throw new Error(`no subgraph "${name}" is running here`);
        await started[index]!.stop();
        return {
          restart: async () => {
            started[index] = await startOne(hosted.definition, sources.get(name)!, false);
            await started[index].ready;
          },
        };
      },
      async stop() {
        await relay.unsubscribe();
        await redis?.close();
        await running.stop();
        for (const subgraph of [...started].reverse()) await subgraph.stop();
        await bus.close();
        await paymentSandbox.stop();
        await postgres?.stop();
      },
    };
  } catch (error) {
    await gateway?.stop().catch(() => undefined);
    // The bus first: a relay waiting on a held or undeliverable publish then returns, and stops.
    await bus.close().catch(() => undefined);
    await redis?.close();
    for (const subgraph of started.reverse()) await subgraph.stop().catch(() => undefined);
    await paymentSandbox.stop().catch(() => undefined);
    await postgres?.stop();
    throw error;
  }
}
