import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { findCard } from './cards.ts';
import type { Authorization, AuthorizationStatus, SandboxStore } from './store.ts';

/** What an operation answers, and the authorization it created or changed (to journal with it). */
export interface Outcome {
  status: number;
  body: unknown;
  authorization?: Authorization;
  /** Only `tok_unavailable`: the provider fails (503), after the configured delay. */
  unavailable?: true;
}

export function apiError(status: number, code: string, message: string, field?: string): Outcome {
  return { status, body: { error: { code, message, ...(field ? { field } : {}) } } };
}

const authorizationRequest = z.object({
  amountMinor: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currencyCode: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"'),
  token: z.string().min(1).max(200),
  reference: z.string().min(1).max(200),
});

/** The first problem of a request body, naming the field: `amountMinor: must be …`. */
function invalidRequest(error: z.ZodError): Outcome {
  const issue = error.issues[0];
  const field = issue?.path.join('.') || undefined;
  const message = field ? `${field}: ${issue?.message}` : (issue?.message ?? 'invalid request body');
  return apiError(400, 'invalid_request', message, field);
}

export function authorize(store: SandboxStore, body: unknown): Outcome {
  const parsed = authorizationRequest.safeParse(body);
  if (!parsed.success) return invalidRequest(parsed.error);
  const request = parsed.data;
  const card = findCard(request.token);
  if (!card) {
    return apiError(400, 'invalid_token', `No payment method with token "${request.token}"`, 'token');
  }
  if (card.behaviour === 'decline') {
    return apiError(402, 'card_declined', `The card ${card.brand} •••• ${card.last4} was declined`);
  }
  if (card.behaviour === 'unavailable') {
    return {
      ...apiError(503, 'provider_unavailable', 'The card network is unavailable; try again later'),
      unavailable: true,
    };
  }
  const now = new Date().toISOString();
  const authorization: Authorization = {
    id: `auth_${randomBytes(12).toString('hex')}`,
    status: 'authorized',
    ...request,
    createdAt: now,
    updatedAt: now,
  };
  return { status: 201, body: authorization, authorization };
}

export type Transition = 'capture' | 'void' | 'refund';

/** Which state each transition starts from and leads to. */
const TRANSITIONS: Record<Transition, { from: AuthorizationStatus; to: AuthorizationStatus }> = {
  capture: { from: 'authorized', to: 'captured' },
  void: { from: 'authorized', to: 'voided' },
  refund: { from: 'captured', to: 'refunded' },
};

export function transition(store: SandboxStore, id: string, action: Transition): Outcome {
  const current = store.authorization(id);
  if (!current) return apiError(404, 'unknown_authorization', `No authorization with id "${id}"`);
  const { from, to } = TRANSITIONS[action];
  if (current.status !== from) {
    return apiError(
      409,
      'invalid_state',
      `Authorization "${id}" is ${current.status}; only a ${from} one can be ${to}`,
    );
  }
  const authorization: Authorization = { ...current, status: to, updatedAt: new Date().toISOString() };
  return { status: 200, body: authorization, authorization };
}

export function paymentMethod(token: string): Outcome {
  const card = findCard(token);
  if (!card) return apiError(404, 'unknown_token', `No payment method with token "${token}"`);
  return { status: 200, body: { token: card.token, brand: card.brand, last4: card.last4 } };
}
