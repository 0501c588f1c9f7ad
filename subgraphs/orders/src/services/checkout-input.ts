import { createHash } from 'node:crypto';
import { userError, type UserError } from '@mp/kit';
import type { UserErrorCode } from '../generated/graphql.ts';

export interface AddressInput {
  name: string;
  line1: string;
  line2?: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface CheckoutInput {
  idempotencyKey: string;
  shippingAddress: AddressInput;
  paymentMethod: { token: string };
}

export interface Address {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  postalCode: string;
  country: string;
}

export interface ValidCheckout {
  idempotencyKey: string;
  address: Address;
  token: string;
  /** Tells a retry of this checkout from another checkout reusing its key. */
  requestHash: string;
}

export const MAX_QUANTITY = 999;
export const MAX_CART_LINES = 100;
const TOKEN = /^tok_[A-Za-z0-9_]{1,100}$/;
const KEY = /^[\x21-\x7e]{1,100}$/;
const POSTAL_CODE = /^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/;
const COUNTRY = /^[A-Z]{2}$/;

type Failure = UserError<UserErrorCode>;

function text(
  errors: Failure[],
  field: string[],
  value: string | null | undefined,
  { min, max }: { min: number; max: number },
): string | null {
  const trimmed = (value ?? '').trim();
  if (trimmed.length < min || trimmed.length > max) {
    const shown = trimmed.length > 40 ? `${trimmed.slice(0, 40)}…` : trimmed;
    errors.push(
      userError(
        field,
        `${field.at(-1)} must be ${min}–${max} characters, got ${trimmed.length} ("${shown}")`,
        'INVALID_INPUT',
      ),
    );
  }
  return trimmed.length === 0 ? null : trimmed;
}

/** Validates a checkout's input; every problem is reported at once, with the field and the value. */
export function validateCheckout(
  input: CheckoutInput,
): { ok: true; value: ValidCheckout } | { ok: false; errors: Failure[] } {
  const errors: Failure[] = [];
  const key = input.idempotencyKey;
  if (!KEY.test(key)) {
    errors.push(
      userError(
        ['input', 'idempotencyKey'],
        `idempotencyKey must be 1–100 printable ASCII characters without spaces, got "${key.slice(0, 40)}"`,
        'INVALID_INPUT',
      ),
    );
  }
  const at = (name: string) => ['input', 'shippingAddress', name];
  const a = input.shippingAddress;
  const address: Address = {
    name: text(errors, at('name'), a.name, { min: 1, max: 100 }) ?? '',
    line1: text(errors, at('line1'), a.line1, { min: 1, max: 200 }) ?? '',
    line2: text(errors, at('line2'), a.line2, { min: 0, max: 200 }),
    city: text(errors, at('city'), a.city, { min: 1, max: 100 }) ?? '',
    postalCode: a.postalCode.trim(),
    country: a.country.trim().toUpperCase(),
  };
  if (!POSTAL_CODE.test(address.postalCode)) {
    errors.push(
      userError(
        at('postalCode'),
        `postalCode must be 1–16 letters, digits, spaces or dashes, got "${a.postalCode.slice(0, 40)}"`,
        'INVALID_INPUT',
      ),
    );
  }
  if (!COUNTRY.test(address.country)) {
    errors.push(
      userError(
        at('country'),
        `country must be an ISO 3166-1 alpha-2 code such as "DE", got "${a.country.slice(0, 40)}"`,
        'INVALID_INPUT',
      ),
    );
  }
  const token = input.paymentMethod.token.trim();
  if (!TOKEN.test(token)) {
    errors.push(
      userError(
        ['input', 'paymentMethod', 'token'],
        `token must be a payment provider token such as "tok_visa", got "${token.slice(0, 40)}"`,
        'UNKNOWN_PAYMENT_METHOD',
      ),
    );
  }
  if (errors.length > 0) return { ok: false, errors };
  const requestHash = createHash('sha256').update(JSON.stringify({ address, token })).digest('hex');
  return { ok: true, value: { idempotencyKey: key, address, token, requestHash } };
}

/** Checks a cart line's quantity: 1–999 to add, 0–999 to set (0 removes). */
export function validateQuantity(quantity: number, { allowZero }: { allowZero: boolean }): Failure | null {
  const min = allowZero ? 0 : 1;
  if (Number.isInteger(quantity) && quantity >= min && quantity <= MAX_QUANTITY) return null;
  return userError(
    'quantity',
    `quantity must be a whole number from ${min} to ${MAX_QUANTITY}, got ${quantity}`,
    'INVALID_INPUT',
  );
}
