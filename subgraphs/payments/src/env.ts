import { parseEnv, portVar, subgraphEnvShape, type EnvSource, type SubgraphEnv } from '@mp/kit';
import { z } from 'zod';

const ms = (defaultMs: number, min = 1) => z.coerce.number().int().min(min).max(3_600_000).default(defaultMs);

const schema = z
  .object({
    ...subgraphEnvShape,
    PORT: portVar(4005),
    /** Base URL of the card provider's HTTP API (the sandbox in development and tests). */
    PAYMENT_PROVIDER_URL: z.string().url('must be an http(s):// URL').default('http://127.0.0.1:4010'),
    PAYMENT_PROVIDER_API_KEY: z.string().min(16, 'must be at least 16 characters (shared with the provider)'),
    /** A provider call still unanswered after this long counts as a transient failure. */
    PAYMENT_PROVIDER_TIMEOUT_MS: ms(2_000),
    /** Authorization attempts (transient failures) before the payment fails PROVIDER_UNAVAILABLE. */
    PAYMENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(4),
    /** First retry delay; doubles per attempt, with jitter, up to PAYMENT_RETRY_CAP_MS. */
    PAYMENT_RETRY_BASE_MS: ms(200),
    PAYMENT_RETRY_CAP_MS: ms(30_000),
    /** How often the worker looks for due provider calls when it was not woken. */
    PAYMENT_WORKER_POLL_MS: ms(50),
    /** Provider calls one process makes at once. */
    PAYMENT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(16),
    /**
     * How long a claimed call belongs to its worker; a crashed worker's call is retried (with the same
     * idempotency key) once this has passed. Must exceed the provider timeout.
     */
    PAYMENT_CALL_LEASE_MS: ms(10_000),
  })
  .refine((env) => env.PAYMENT_CALL_LEASE_MS > env.PAYMENT_PROVIDER_TIMEOUT_MS, {
    path: ['PAYMENT_CALL_LEASE_MS'],
    message: 'must be longer than PAYMENT_PROVIDER_TIMEOUT_MS (a call in progress must keep its lease)',
  })
  .refine((env) => env.PAYMENT_RETRY_CAP_MS >= env.PAYMENT_RETRY_BASE_MS, {
    path: ['PAYMENT_RETRY_CAP_MS'],
    message: 'must be at least PAYMENT_RETRY_BASE_MS',
  });

export interface Env extends SubgraphEnv {
  PAYMENT_PROVIDER_URL: string;
  PAYMENT_PROVIDER_API_KEY: string;
  PAYMENT_PROVIDER_TIMEOUT_MS: number;
  PAYMENT_MAX_ATTEMPTS: number;
  PAYMENT_RETRY_BASE_MS: number;
  PAYMENT_RETRY_CAP_MS: number;
  PAYMENT_WORKER_POLL_MS: number;
  PAYMENT_WORKER_CONCURRENCY: number;
  PAYMENT_CALL_LEASE_MS: number;
}

/** The process environment, for the standalone entry point; the only place that reads it. */
export const processEnv = (): EnvSource => process.env;

/** All-in-one mode passes its own source instead of the process environment. */
export function loadEnv(source: EnvSource = process.env): Env {
  return parseEnv(schema, source, 'payments');
}
