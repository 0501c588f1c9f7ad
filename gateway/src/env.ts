import { fileURLToPath } from 'node:url';
import { eventBusEnvShape } from '@mp/events';
import { parseEnv, type EnvSource } from '@mp/kit';
import { z } from 'zod';

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  SUPERGRAPH_PATH: z
    .string()
    .default(fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url))),
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters (shared with every subgraph)'),
  JWT_PUBLIC_KEY: z.string().refine((v) => v.includes('-----BEGIN'), 'must be a PEM-encoded public key'),
  /** Per-subgraph URL overrides, e.g. SUBGRAPH_CATALOG_URL=http://catalog:4003/graphql. */
  SUBGRAPH_TIMEOUT_MS: int(10_000),
  MAX_DEPTH: int(10),
  MAX_ALIASES: int(15),
  MAX_TOKENS: int(1_000),
  MAX_COST: int(5_000),
  MAX_BODY_BYTES: int(100_000),
  /**
   * Redis for realtime fan-out between gateway replicas (`redis://host:6379`). Unset: one replica,
   * fed in process (all-in-one) or by its own consumer on the event bus.
   */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL')
    .optional(),
  REALTIME_CHANNEL_PREFIX: z.string().default('mp:realtime:'),
  /** WebSocket ping interval; a client that has not answered the previous ping by then is dropped. */
  WS_HEARTBEAT_MS: int(12_000),
  WS_MAX_CONNECTIONS: int(10_000),
  WS_MAX_CONNECTIONS_PER_USER: int(10),
  WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: int(20),
  /** Largest message a client may send over the socket (bigger closes it with 1009). */
  WS_MAX_MESSAGE_BYTES: int(64 * 1024),
  /** Payloads one subscriber may have waiting for its socket before it is cut off as too slow. */
  WS_MAX_QUEUED_PAYLOADS: int(100),
  /** The standalone gateway's realtime feed: with Kafka it consumes the saga's events itself. */
  ...eventBusEnvShape,
});

export type GatewayEnv = z.output<typeof schema> & { subgraphUrls: Readonly<Record<string, string>> };

export const processEnv = (): EnvSource => process.env;

export function loadEnv(source: EnvSource = process.env): GatewayEnv {
  const parsed = parseEnv(schema, source, 'gateway');
  const subgraphUrls: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    const match = /^SUBGRAPH_([A-Z]+)_URL$/.exec(key);
    if (match && value) subgraphUrls[match[1]!.toLowerCase()] = value;
  }
  return Object.freeze({ ...parsed, subgraphUrls: Object.freeze(subgraphUrls) });
}
