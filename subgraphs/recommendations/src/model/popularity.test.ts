import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  POPULARITY_HALF_LIFE_MS,
  addLog2,
  orderLog2Weight,
  popularityAt,
  subtractLog2,
} from './popularity.ts';

const now = new Date('2026-11-21T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

/** The stored value after these orders, as the consumer keeps it. */
const stored = (...times: Date[]) =>
  times.reduce<number | null>((l, t) => addLog2(l, orderLog2Weight(t)), null);

describe('time-decayed popularity', () => {
  it('counts an order placed now as 1 and one a half-life old as 1/2', () => {
    expect(popularityAt(stored(now), now)).toBeCloseTo(1, 12);
    expect(popularityAt(stored(ago(POPULARITY_HALF_LIFE_MS)), now)).toBeCloseTo(0.5, 12);
    expect(
      popularityAt(stored(now, ago(POPULARITY_HALF_LIFE_MS), ago(2 * POPULARITY_HALF_LIFE_MS)), now),
    ).toBeCloseTo(1.75, 12);
  });

  it('ranks one order today above three orders three weeks ago, and the ranking never changes with time', () => {
    const recent = stored(now);
    const old = stored(ago(21 * DAY_MS), ago(21 * DAY_MS), ago(22 * DAY_MS));
    expect(recent).toBeGreaterThan(old!);
    for (const later of [now, new Date(now.getTime() + 365 * DAY_MS)]) {
      expect(popularityAt(recent, later)).toBeGreaterThan(popularityAt(old, later));
    }
  });

  it('takes a cancelled order out again, leaving what the other orders made', () => {
    const both = stored(ago(3 * DAY_MS), ago(10 * DAY_MS))!;
    expect(subtractLog2(both, orderLog2Weight(ago(10 * DAY_MS)))).toBeCloseTo(
      orderLog2Weight(ago(3 * DAY_MS)),
      9,
    );
    expect(subtractLog2(both, orderLog2Weight(ago(3 * DAY_MS)))).toBeCloseTo(
      orderLog2Weight(ago(10 * DAY_MS)),
      9,
    );
  });

  it('never overflows, whatever the dates', () => {
    const farFuture = new Date(Date.UTC(2300, 0, 1));
    const value = stored(farFuture, farFuture, ago(0));
    expect(Number.isFinite(value)).toBe(true);
    expect(popularityAt(value, farFuture)).toBeCloseTo(2, 9);
    expect(Number.isFinite(subtractLog2(value!, orderLog2Weight(farFuture)))).toBe(true);
  });

  it('has no popularity without orders', () => {
    expect(popularityAt(null, now)).toBe(0);
  });
});
