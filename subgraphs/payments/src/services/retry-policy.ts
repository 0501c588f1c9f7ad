export interface RetryPolicy {
  /** Attempts an authorization gets before the payment fails PROVIDER_UNAVAILABLE. */
  maxAuthorizeAttempts: number;
  baseMs: number;
  capMs: number;
}

/**
 * How long to wait after the `attempt`-th failed attempt: `base · 2^(attempt-1)`, capped, with "equal
 * jitter" (a random point in its upper half) so retries of many payments after one outage spread out
 * instead of hitting the recovering provider together.
 */
export function retryDelayMs(
  policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
