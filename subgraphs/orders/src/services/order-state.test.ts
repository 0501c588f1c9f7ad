import { describe, expect, it } from 'vitest';
import { canTransition } from './order-state.ts';

describe('order state machine', () => {
  it('lets a pending order be confirmed or cancelled, and nothing else', () => {
    expect(canTransition('PENDING', 'CONFIRMED')).toBe(true);
    expect(canTransition('PENDING', 'CANCELLED')).toBe(true);
    expect(canTransition('PENDING', 'COMPLETED')).toBe(false);
  });

  it('never moves a cancelled or completed order again', () => {
    for (const to of ['PENDING', 'CONFIRMED', 'CANCELLED', 'COMPLETED'] as const) {
      expect(canTransition('CANCELLED', to)).toBe(false);
      expect(canTransition('COMPLETED', to)).toBe(false);
    }
  });

  it('completes or cancels a confirmed order, but never takes it back to pending', () => {
    expect(canTransition('CONFIRMED', 'COMPLETED')).toBe(true);
    expect(canTransition('CONFIRMED', 'CANCELLED')).toBe(true);
    expect(canTransition('CONFIRMED', 'PENDING')).toBe(false);
  });
});
