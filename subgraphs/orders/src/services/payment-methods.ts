import type { Logger } from '@mp/kit';

/** `unverified`: the provider could not be asked; the payments subgraph will find out when it authorizes. */
export type PaymentMethodCheck = 'known' | 'unknown' | 'unverified';

export interface PaymentMethodVerifier {
  verify(token: string): Promise<PaymentMethodCheck>;
}

/**
 * Asks the payment provider whether it knows a token (`GET /v1/payment-methods/:token`), so checkout can
 * refuse an unknown one as a userError before placing anything. An unreachable provider does not block
 * checkout: the order is placed and the payment step decides.
 */
export function createPaymentMethodVerifier(
  config: { url: string; apiKey: string; timeoutMs: number } | null,
  log: Logger,
): PaymentMethodVerifier {
  if (!config) return { verify: async () => 'unverified' };
  return {
    async verify(token) {
      try {
        const response = await fetch(`${config.url}/v1/payment-methods/${encodeURIComponent(token)}`, {
          headers: { authorization: `Bearer ${config.apiKey}` },
          signal: AbortSignal.timeout(config.timeoutMs),
        });
        if (response.ok) return 'known';
        if (response.status === 404) return 'unknown';
        log.warn({ status: response.status }, 'payment provider could not verify a payment method');
        return 'unverified';
      } catch (error) {
        log.warn({ err: error }, 'payment provider unreachable; checkout proceeds unverified');
        return 'unverified';
      }
    },
  };
}
