import { describe, expect, it } from 'vitest';
import { evaluateHitRate } from './hit-rate.ts';
import { DEFAULT_HISTORY, generateHistory } from './purchase-history.ts';

describe('offline evaluation (hit-rate@10, last purchase held out)', () => {
  it('finds the held-out product at least twice as often as the popularity baseline', () => {
    const result = evaluateHitRate(generateHistory(DEFAULT_HISTORY), { k: 10, testBuyers: 500 });
    expect(result.testBuyers).toBe(500);
    expect(result.modelHitRate).toBeGreaterThanOrEqual(2 * result.popularHitRate);
    // Most held-out purchases come from the buyer's cluster (70 %); the model must find most of those.
    expect(result.modelHitRate).toBeGreaterThan(0.5);
  });

  it('keeps its edge on other generated histories', () => {
    for (const seed of [11, 23, 42]) {
      const result = evaluateHitRate(generateHistory({ ...DEFAULT_HISTORY, seed, buyers: 1_500 }), {
        testBuyers: 300,
        seed,
      });
      expect(result.modelHitRate, `seed ${seed}`).toBeGreaterThanOrEqual(2 * result.popularHitRate);
    }
  });

  it('has no edge on a history without co-purchase structure (the evaluation is not rigged)', () => {
    const result = evaluateHitRate(generateHistory({ ...DEFAULT_HISTORY, clusterShare: 0 }), {
      testBuyers: 500,
    });
    expect(result.modelHitRate).toBeLessThan(1.2 * result.popularHitRate);
  });
});
