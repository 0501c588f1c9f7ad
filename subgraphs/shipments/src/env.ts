import { parseEnv, portVar, subgraphEnvShape, type EnvSource } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({
  ...subgraphEnvShape,
  PORT: portVar(4006),
  /**
   * The carrier simulator's pace: a shipped parcel moves one step once its last timeline entry is this
   * many milliseconds old. 0 (the default) leaves it off; the all-in-one host turns it on.
   */
  CARRIER_SIMULATOR_STEP_MS: z.coerce.number().int().min(0).max(86_400_000).default(0),
});

export type Env = Readonly<z.output<typeof schema>>;

/** The process environment, for the standalone entry point; the only place that reads it. */
export const processEnv = (): EnvSource => process.env;

/** All-in-one mode passes its own source instead of the process environment. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(schema, source, 'shipments');
}
