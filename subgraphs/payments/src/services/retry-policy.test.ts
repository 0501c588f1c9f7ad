import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-policy.ts';

const policy = { baseMs: 200, capMs: 1_000 };

describe('retryDelayMs', () => {
  it('doubles per attempt, from the base', () => {
    const top = (attempt: number) => retryDelayMs(policy, attempt, () => 1);
    expect([1, 2, 3].map(top)).toEqual([200, 400, 800]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(retryDelayMs(policy, 4, () => 1)).toBe(1_000);
    expect(retryDelayMs(policy, 60, () => 1)).toBe(1_000);
  });

  it('jitters within the upper half of the exponential delay', () => {
    expect(retryDelayMs(policy, 3, () => 0)).toBe(400);
    expect(retryDelayMs(policy, 3, () => 0.5)).toBe(600);
    for (let i = 0; i < 100; i += 1) {
      const delay = retryDelayMs(policy, 2);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});
