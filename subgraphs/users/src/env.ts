import { parseEnv, portVar, subgraphEnvShape, type EnvSource } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({
  ...subgraphEnvShape,
  PORT: portVar(4001),
  /** Ed25519 PKCS#8 PEM; the only private signing key in the system. Its public half is JWT_PUBLIC_KEY. */
  JWT_PRIVATE_KEY: z
    .string()
    .refine((v) => v.includes('-----BEGIN'), 'must be a PEM-encoded private key (-----BEGIN …)'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
});

export type Env = Readonly<z.output<typeof schema>>;

/** The process environment, for the standalone entry point; all-in-one mode passes its own source. */
export const processEnv = (): EnvSource => process.env;

/** The only place that reads the environment. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(schema, source, 'users');
}
