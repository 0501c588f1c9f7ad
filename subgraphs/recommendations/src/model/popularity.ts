// Time-decayed popularity, kept incrementally. A product's popularity at time t is the number of its
// paid orders, each weighted 2^(−age / half-life): an order a week old counts half as much as one placed
// now. Because every product decays at the same rate, the ranking never has to be recomputed as time
// passes: we store, per product, L = log2 Σ 2^((tₖ − EPOCH) / HALF_LIFE) over its orders' times tₖ, and
// popularity(t) = 2^(L − (t − EPOCH) / HALF_LIFE). A new order adds a term (log-sum-exp), a cancelled
// one subtracts its term, and ordering products by L orders them by popularity at any moment. Keeping
// the logarithm (not the sum) means the number never overflows, however long the service runs.
//
// The same arithmetic runs in SQL (repositories/model.repository.ts, for the consumer) and here (the
// reference model, the evaluation and the demo history); test/model-parity.int.test.ts checks they agree.

export const DAY_MS = 86_400_000;
/** How long until an order counts half as much. A week: a storefront's "popular" follows the season. */
export const POPULARITY_HALF_LIFE_MS = 7 * DAY_MS;
/** Any fixed instant; only differences of log2 weights matter. */
export const POPULARITY_EPOCH_MS = Date.UTC(2026, 0, 1);
/**
 * Below this fraction of what it was, a product's popularity after a cancellation is treated as that
 * floor rather than zero or a negative rounding error (it still has orders, so it stays ranked).
 */
export const MIN_REMAINING_FRACTION = 1e-12;
/** 2^−1000 is still a normal double; larger exponents are clamped so SQL's power() never underflows. */
export const MAX_EXPONENT_GAP = 1_000;

/**
 * Popularities are compared rounded to this many decimals of their log2, here and in SQL: cancellations
 * subtract in floating point (errors near 1e-9), and products within a millionth of a half-life of each
 * other are equally popular anyway; ties then go by listing time and id in both.
 */
export const POPULARITY_DECIMALS = 6;

export function roundPopularity(log2: number): number {
  const scale = 10 ** POPULARITY_DECIMALS;
  return Math.round(log2 * scale) / scale;
}

/** log2 of one order's weight: how many half-lives after the epoch it was placed. */
export function orderLog2Weight(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  return (ms - POPULARITY_EPOCH_MS) / POPULARITY_HALF_LIFE_MS;
}

/** log2(2^a + 2^b), without overflow; `a` null means "nothing yet". */
export function addLog2(a: number | null, b: number): number {
  if (a === null) return b;
  const high = Math.max(a, b);
  const gap = Math.min(Math.abs(a - b), MAX_EXPONENT_GAP);
  return high + Math.log2(1 + 2 ** -gap);
}

/**
 * log2(2^a − 2^b): `a` with the term `b` taken out again (a cancelled order). The caller knows whether
 * other orders remain; if they do, the result never falls below a + log2(MIN_REMAINING_FRACTION).
 */
export function subtractLog2(a: number, b: number): number {
  const gap = Math.min(Math.max(a - b, 0), MAX_EXPONENT_GAP);
  return a + Math.log2(Math.max(1 - 2 ** -gap, MIN_REMAINING_FRACTION));
}

/** The decayed order count a stored L stands for at time `at` (0 when there are no orders). */
export function popularityAt(log2: number | null, at: Date | number): number {
  return log2 === null ? 0 : 2 ** (log2 - orderLog2Weight(at));
}
