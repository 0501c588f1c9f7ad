import { parseEnv, portVar, subgraphEnvShape, type EnvSource, type SubgraphEnv } from '@mp/kit';
import { z } from 'zod';

const schema = z.object({ ...subgraphEnvShape, PORT: portVar(4002) });

export type Env = SubgraphEnv;

/** The process environment, for the standalone entry point (the only place that reads it). */
export const processEnv = (): EnvSource => process.env;

export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(schema, source, 'sellers');
}
