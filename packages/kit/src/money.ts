import { userError, type UserError } from './errors.ts';

export interface Money {
  amount: string;
  currencyCode: string;
}

const supportedCurrencies = new Set(Intl.supportedValuesOf('currency'));
const MAX_MINOR = Number.MAX_SAFE_INTEGER;

const exponents = new Map<string, number>();

/** Decimal places of a currency's minor unit (EUR 2, JPY 0, BHD 3); memoised, it runs per price. */
export function currencyExponent(currencyCode: string): number {
  let exponent = exponents.get(currencyCode);
  if (exponent === undefined) {
    exponent =
      new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    exponents.set(currencyCode, exponent);
  }
  return exponent;
}

export function isSupportedCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && supportedCurrencies.has(code);
}

/** Formats integer minor units as the API's decimal-string Money. */
export function toMoney(minor: number, currencyCode: string): Money {
  const exponent = currencyExponent(currencyCode);
  const negative = minor < 0;
  const digits = Math.abs(minor)
    .toString()
    .padStart(exponent + 1, '0');
  const amount = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return { amount: negative ? `-${amount}` : amount, currencyCode };
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: UserError };

/**
 * Parses a client's decimal string ("12.5", "12.50") into minor units without floating point.
 * Negative amounts, more decimals than the currency has, and absurd sizes are user errors.
 */
export function parseAmount(amount: string, currencyCode: string, field: string): ParsedAmount {
  if (!isSupportedCurrency(currencyCode)) {
    return {
      ok: false,
      error: userError('currencyCode', `Unknown currency code "${currencyCode}"`, 'INVALID_CURRENCY'),
    };
  }
  const exponent = currencyExponent(currencyCode);
  const match = /^(\d{1,13})(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) {
    return {
      ok: false,
      error: userError(
        field,
        `"${amount}" is not a non-negative decimal amount like "19.99"`,
        'INVALID_AMOUNT',
      ),
    };
  }
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > exponent) {
    return {
      ok: false,
      error: userError(
        field,
        `"${amount}" has more than ${exponent} decimal places for ${currencyCode}`,
        'INVALID_AMOUNT',
      ),
    };
  }
  const minor = Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  if (!Number.isSafeInteger(minor) || minor > MAX_MINOR) {
    return { ok: false, error: userError(field, `"${amount}" is too large`, 'INVALID_AMOUNT') };
  }
  return { ok: true, minor };
}
