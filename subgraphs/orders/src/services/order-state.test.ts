import { describe, expect, it } from 'vitest';
import { canTransition, statusesLeadingTo } from './order-state.ts';

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

  it('completes only confirmed orders and cancels pending or confirmed ones', () => {
    expect(statusesLeadingTo('COMPLETED')).toEqual(['CONFIRMED']);
    expect(statusesLeadingTo('CANCELLED')).toEqual(['PENDING', 'CONFIRMED']);
    expect(statusesLeadingTo('CONFIRMED')).toEqual(['PENDING']);
  });
});
