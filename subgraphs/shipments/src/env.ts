import { parseEnv, portVar, subgraphEnvShape, type EnvSource, type SubgraphEnv } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({ ...subgraphEnvShape, PORT: portVar(4006) });

export type Env = SubgraphEnv;

/** The process environment, for the standalone entry point; the only place that reads it. */
export const processEnv = (): EnvSource => process.env;

/** All-in-one mode passes its own source instead of the process environment. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(schema, source, 'shipments');
}
