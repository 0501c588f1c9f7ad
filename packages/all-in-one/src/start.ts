import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@mp/db';
import { createEventBus } from '@mp/events';
import { createGateway, loadEnv as loadGatewayEnv, type GatewayEnv } from '@mp/gateway';
import { createLogger, startSubgraph, type Logger, type RunningSubgraph } from '@mp/kit';
import { loadOrCreateDevSecrets, type Secrets } from './dev-secrets.ts';
import type { AllInOneEnv } from './env.ts';
import { startGatewayThread, type GatewayHandle } from './gateway-thread.ts';
import { HOSTED_SUBGRAPHS } from './subgraphs.ts';

export interface AllInOne {
  gatewayUrl: string;
  subgraphs: readonly RunningSubgraph[];
  secrets: Secrets;
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
  return { port: await gateway.listen(), stop: () => gateway.stop() };
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
  const started: RunningSubgraph[] = [];
  try {
    // Sequential start keeps logs readable and lets the users subgraph consume sellers' events from the start.
    for (const { definition, port } of HOSTED_SUBGRAPHS) {
      const databaseUrl =
        env.databaseUrls[definition.name] ?? postgres!.urlFor(`marketplace_${definition.name}`);
      started.push(
        await startSubgraph(
          definition,
          {
            NODE_ENV: env.NODE_ENV,
            LOG_LEVEL: env.LOG_LEVEL,
            HOST: '127.0.0.1',
            PORT: String(options.randomPorts ? 0 : port),
            DATABASE_URL: databaseUrl,
            GATEWAY_SECRET: secrets.gatewaySecret,
            JWT_PUBLIC_KEY: secrets.jwtPublicKey,
            ...(definition.name === 'users' ? { JWT_PRIVATE_KEY: secrets.jwtPrivateKey } : {}),
            MIGRATE_ON_START: 'true',
          },
          { bus },
          { seed: env.SEED_DEMO_DATA, logger: log.child({ subgraph: definition.name }) },
        ),
      );
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
      ...Object.fromEntries(started.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, s.url])),
    };
    const gatewayEnv = loadGatewayEnv(gatewaySource); // fails fast here, before any thread starts
    const gateway: GatewayHandle = env.GATEWAY_THREAD
      ? await startGatewayThread(gatewaySource)
      : await startGatewayHere(gatewayEnv, log);
    const gatewayPort = gateway.port;
    return {
      gatewayUrl: `http://localhost:${gatewayPort}/graphql`,
      subgraphs: started,
      secrets,
      async stop() {
        await gateway.stop();
        for (const subgraph of started.reverse()) await subgraph.stop();
        await bus.close();
        await postgres?.stop();
      },
    };
  } catch (error) {
    // The bus first: a relay waiting on a held or undeliverable publish then returns, and stops.
    await bus.close().catch(() => undefined);
    for (const subgraph of started.reverse()) await subgraph.stop().catch(() => undefined);
    await postgres?.stop();
    throw error;
  }
}
