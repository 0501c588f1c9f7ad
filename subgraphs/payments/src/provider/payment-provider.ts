/**
 * What payments needs from a card provider. Every write carries an idempotency key: the same key with
 * the same request must return the first answer and never act twice, so a call whose answer was lost
 * (timeout, crash) is safely repeated with its key.
 */
export interface PaymentProvider {
  /** Whether the provider knows a payment method token (checkout uses the provider's endpoint directly). */
  verify?(token: string): Promise<ProviderResult<PaymentMethod>>;
  /** Holds `amountMinor` on the card; nothing is charged yet. */
  authorize(request: AuthorizeRequest): Promise<ProviderResult<ProviderAuthorization>>;
  /** Charges the full authorized amount. */
  capture(request: AuthorizationRequest): Promise<ProviderResult<ProviderAuthorization>>;
  /**
   * Releases a hold. Without an authorization id (an authorization whose answer never arrived), releases
   * whatever the provider authorized for `reference`: success with an empty list when there was nothing.
   */
  void(request: VoidRequest): Promise<ProviderResult<ProviderAuthorization[]>>;
  /** Pays a captured amount back in full. */
  refund(request: AuthorizationRequest): Promise<ProviderResult<ProviderAuthorization>>;
}

/**
 * `success`; `declined` by the card issuer (final); `invalid`: the provider refused the request itself
 * (unknown token or authorization, wrong state; final, `status` is its HTTP status); `transient`: no
 * usable answer (5xx, timeout, connection refused): the same call may be retried with the same key.
 */
export type ProviderResult<T> =
  | { kind: 'success'; value: T }
  | { kind: 'declined'; code: string; message: string }
  | { kind: 'invalid'; status: number; code: string; message: string }
  | { kind: 'transient'; message: string };

export interface PaymentMethod {
  token: string;
  brand: string;
  last4: string;
}

export interface ProviderAuthorization {
  id: string;
  status: string;
}

export interface AuthorizeRequest {
  idempotencyKey: string;
  amountMinor: number;
  currencyCode: string;
  token: string;
  /** What the authorization is for (the order id); the provider lists authorizations by it. */
  reference: string;
}

export interface AuthorizationRequest {
  idempotencyKey: string;
  authorizationId: string;
}

export interface VoidRequest {
  idempotencyKey: string;
  authorizationId: string | null;
  reference: string;
}
