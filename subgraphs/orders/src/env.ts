import { parseEnv, portVar, subgraphEnvShape, type EnvSource, type SubgraphEnv } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({
  ...subgraphEnvShape,
  PORT: portVar(4004),
  /**
   * The payment provider, asked at checkout whether it knows the buyer's payment token. Unset: tokens are
   * only checked for their shape, and an unknown one cancels the order when payments tries it.
   */
  PAYMENT_PROVIDER_URL: z.string().url().optional(),
  PAYMENT_PROVIDER_API_KEY: z.string().min(16).optional(),
  PAYMENT_METHOD_CHECK_TIMEOUT_MS: z.coerce.number().int().positive().default(1_000),
});

export type Env = SubgraphEnv & z.output<typeof schema>;

/** The process environment, for the standalone entry point; the only place that reads it. */
export const processEnv = (): EnvSource => process.env;

/** All-in-one mode passes its own source instead of the process environment. */
export function loadEnv(source: EnvSource = process.env): Env {
  const env = parseEnv(schema, source, 'orders');
  if (Boolean(env.PAYMENT_PROVIDER_URL) !== Boolean(env.PAYMENT_PROVIDER_API_KEY)) {
    throw new Error('orders: set both PAYMENT_PROVIDER_URL and PAYMENT_PROVIDER_API_KEY, or neither');
  }
  return env;
}
