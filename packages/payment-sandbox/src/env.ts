import { parseEnv, portVar, type EnvSource } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOST: z.string().default('127.0.0.1'),
  PORT: portVar(4010),
  PAYMENT_SANDBOX_API_KEY: z.string().min(16, 'must be at least 16 characters (shared with payments)'),
  PAYMENT_SANDBOX_DATA_FILE: z.string().min(1).optional(),
  PAYMENT_SANDBOX_UNAVAILABLE_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
});

export type SandboxEnv = Readonly<z.output<typeof schema>>;

/** The process environment, for the standalone entry point; the only place that reads it. */
export const processEnv = (): EnvSource => process.env;

export function loadEnv(source: EnvSource): SandboxEnv {
  return parseEnv(schema, source, 'payment-sandbox');
}
