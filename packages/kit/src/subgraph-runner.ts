import { applyMigrations } from '@mp/db';
import { createEventBus, type EventBus } from '@mp/events';
import type { SubgraphEnv, EnvSource } from './env.ts';
import type { ContextParts } from './context.ts';
import { closeServer, listen } from './http-server.ts';
import { createLogger, type Logger } from './logger.ts';
import { createSubgraphServer, type SubgraphServer, type SubgraphServerOptions } from './subgraph-server.ts';

/** What a subgraph package exports so it can run alone or inside the all-in-one process. */
export interface SubgraphDefinition<TEnv extends SubgraphEnv = SubgraphEnv> {
  name: string;
  /** Absolute path of `prisma/<name>/migrations`. */
  migrationsDir: string;
  // Method syntax on purpose: it lets a SubgraphDefinition<UsersEnv> stand in a list of
  // SubgraphDefinition<SubgraphEnv> (the all-in-one host), since each is only called with its own env.
  loadEnv(source: EnvSource): TEnv;
  /** Builds the server and its resources (consumers, outbox relay); never listens. */
  create(env: TEnv, log: Logger, runtime: SubgraphRuntime): Promise<SubgraphInstance>;
  /** Inserts the demo data when the database has none. */
  seedDemoData?(env: TEnv, log: Logger): Promise<void>;
}

/** What the hosting process provides: in all-in-one mode one bus is shared by every subgraph. */
export interface SubgraphRuntime {
  bus: EventBus;
}

export interface SubgraphInstance {
  server: SubgraphServer;
  /** Resolves when the subgraph's event consumers receive events (Kafka: joined their group). */
  ready?: Promise<void>;
  /** Releases what `create` opened (database pools, timers). */
  dispose: () => Promise<void>;
}

/**
 * Builds a subgraph's server on resources `create` already opened (database, relay, consumers), and
 * releases them if the server cannot be built, so a failed start leaks no pool or polling relay.
 */
export async function assembleSubgraph<TParts extends ContextParts>(
  options: SubgraphServerOptions<TParts>,
  resources: { ready?: Promise<void>; release: () => Promise<void> },
): Promise<SubgraphInstance> {
  try {
    const server = await createSubgraphServer(options);
    return { server, ready: resources.ready, dispose: resources.release };
  } catch (error) {
    await resources.release();
    throw error;
  }
}

export interface RunningSubgraph {
  name: string;
  port: number;
  url: string;
  /** See SubgraphInstance.ready; already resolved for a subgraph without consumers. */
  ready: Promise<void>;
  stop: () => Promise<void>;
}

export async function startSubgraph<TEnv extends SubgraphEnv>(
  definition: SubgraphDefinition<TEnv>,
  source: EnvSource,
  runtime: SubgraphRuntime,
  options: { seed?: boolean; logger?: Logger } = {},
): Promise<RunningSubgraph> {
  const env = definition.loadEnv(source);
  const log = options.logger ?? createLogger(definition.name, env.LOG_LEVEL);
  if (env.MIGRATE_ON_START) {
    const result = await applyMigrations(env.DATABASE_URL, definition.migrationsDir);
    if (result.applied.length > 0) log.info({ applied: result.applied }, 'applied migrations');
  }
  if (options.seed && definition.seedDemoData) await definition.seedDemoData(env, log);
  const instance = await definition.create(env, log, runtime);
  let port: number;
  try {
    port = await listen(instance.server.http, env.PORT, env.HOST);
  } catch (error) {
    // e.g. the port is taken: release the relays, consumers and pools `create` started.
    await instance.server.apollo.stop().catch(() => undefined);
    await instance.dispose();
    throw error;
  }
  log.info({ port }, `${definition.name} subgraph listening`);
  return {
    name: definition.name,
    port,
    url: `http://${env.HOST}:${port}/graphql`,
    ready: instance.ready ?? Promise.resolve(),
    async stop() {
      await closeServer(instance.server.http);
      await instance.server.apollo.stop();
      await instance.dispose();
    },
  };
}

/**
 * Entry point of a subgraph's own process: the event bus its environment asks for (Kafka when
 * KAFKA_BROKERS is set), start, then stop cleanly on SIGINT/SIGTERM: HTTP first, then relays and
 * consumers (inside `stop`), then the bus.
 */
export async function runStandalone<TEnv extends SubgraphEnv>(
  definition: SubgraphDefinition<TEnv>,
  source: EnvSource,
): Promise<void> {
  const env = definition.loadEnv(source);
  const log = createLogger(definition.name, env.LOG_LEVEL);
  const { bus, transport } = createEventBus(env, { clientId: definition.name, log });
  if (transport === 'in-process') {
    log.warn('in-process event bus: events reach only this process (set KAFKA_BROKERS to use Kafka)');
  }
  const running = await startSubgraph(
    definition,
    source,
    { bus },
    { seed: source.SEED_DEMO_DATA === 'true', logger: log },
  );
  const shutdown = async () => {
    await running.stop();
    await bus.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}
