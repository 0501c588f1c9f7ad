import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventBusEnvShape } from '@mp/events';
import { parseEnv, type EnvSource } from '@mp/kit';
import { z } from 'zod';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Where embedded PostgreSQL data and generated development keys live. */
  DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SEED_DEMO_DATA: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Random free ports for the gateway, the subgraphs and the payment sandbox (the ready log line names the gateway's). */
  RANDOM_PORTS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Run the gateway on its own thread (a second event loop; the subgraphs keep the main one). */
  GATEWAY_THREAD: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** The sandbox payment provider's port (its own HTTP service, started by this process). */
  PAYMENT_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  /** How long the carrier simulator waits between a shipped parcel's steps; 0 turns it off. */
  CARRIER_SIMULATOR_STEP_MS: z.coerce.number().int().min(0).default(3_000),
  /** Optional: when unset, development keys are generated once and kept in DATA_DIR. */
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PUBLIC_KEY: z.string().optional(),
  GATEWAY_SECRET: z.string().min(32).optional(),
  /**
   * Optional Redis (`redis://host:6379`): realtime changes then fan out through it, so gateways started
   * elsewhere with the same REDIS_URL serve subscriptions too; recommendations cache their base feed in it.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** In-process by default; EVENT_TRANSPORT=kafka with KAFKA_BROKERS runs the subgraphs' events through Kafka. */
  ...eventBusEnvShape,
});

export type AllInOneEnv = z.output<typeof schema> & {
  /** `<SUBGRAPH>_DATABASE_URL` overrides; subgraphs without one use embedded PostgreSQL. */
  databaseUrls: Readonly<Record<string, string>>;
  /** `PAYMENT_*` tuning variables (timeouts, attempts, backoff), handed to the payments subgraph as given. */
  paymentSettings: Readonly<Record<string, string>>;
  /** The gateway's `WS_*` (realtime limits) and `MAX_*` (query limits) variables, handed over as given. */
  gatewaySettings: Readonly<Record<string, string>>;
};

export const processEnv = (): EnvSource => process.env;

export function loadEnv(source: EnvSource = process.env): AllInOneEnv {
  const parsed = parseEnv(schema, source, 'all-in-one');
  const databaseUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    const match = /^([A-Z]+)_DATABASE_URL$/.exec(key);
    if (match && value) databaseUrls[match[1]!.toLowerCase()] = value;
  }
  // Every PAYMENT_* variable but the ones this host sets itself (the sandbox's port, URL and key), so a
  // new payments setting needs no change here.
  const hostOwned = new Set(['PAYMENT_SANDBOX_PORT', 'PAYMENT_PROVIDER_URL', 'PAYMENT_PROVIDER_API_KEY']);
  const paymentSettings = Object.fromEntries(
    Object.entries(source).flatMap(([key, value]) =>
      key.startsWith('PAYMENT_') && !hostOwned.has(key) && value ? [[key, value]] : [],
    ),
  );
  const gatewaySettings = Object.fromEntries(
    Object.entries(source).flatMap(([key, value]) =>
      /^(WS|MAX)_[A-Z_]+$/.test(key) && value ? [[key, value]] : [],
    ),
  );
  return { ...parsed, databaseUrls, paymentSettings, gatewaySettings };
}
