import { eventBusEnvShape, type EventBusConfig } from '@mp/events';
import { z } from 'zod';

export type EnvSource = Readonly<Record<string, string | undefined>>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
}

/**
 * Parses an environment once, reporting every problem at once, and returns a frozen, typed object.
 * Services call this from their own `env.ts`, the only file that reads `process.env`.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: EnvSource,
  service: string,
): Readonly<z.output<S>> {
  const result = schema.safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('\n');
    throw new EnvError(`${service}: invalid environment\n${problems}`);
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}

const pem = z.string().refine((v) => v.includes('-----BEGIN'), 'must be a PEM-encoded key (-----BEGIN …)');

/** Variables every subgraph reads. Subgraphs extend this with their own. */
export const subgraphEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url('must be a postgresql:// URL'),
  GATEWAY_SECRET: z.string().min(32, 'must be at least 32 characters (shared with the gateway)'),
  JWT_PUBLIC_KEY: pem,
  /** Apply pending migrations before listening (all-in-one and dev); production runs db:migrate. */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Event transport of a subgraph running alone: EVENT_TRANSPORT, KAFKA_BROKERS, KAFKA_TOPIC_PREFIX. */
  ...eventBusEnvShape,
};

export const portVar = (defaultPort: number) =>
  z.coerce.number().int().min(0).max(65535).default(defaultPort);

export interface SubgraphEnv extends EventBusConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  HOST: string;
  PORT: number;
  DATABASE_URL: string;
  GATEWAY_SECRET: string;
  JWT_PUBLIC_KEY: string;
  MIGRATE_ON_START: boolean;
}
