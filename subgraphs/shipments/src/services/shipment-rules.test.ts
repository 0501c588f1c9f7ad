import { describe, expect, it } from 'vitest';
import {
  CLOCK_SKEW_MS,
  TRACKING_TRANSITIONS,
  canRecord,
  checkShipInput,
  checkTrackingInput,
  generateTrackingNumber,
  invalidTrackingTransition,
} from './shipment-rules.ts';

const now = new Date('2026-11-21T12:00:00.000Z');

describe('tracking transitions', () => {
  it('ends nowhere from DELIVERED, RETURNED, CANCELLED and PENDING', () => {
    for (const status of ['DELIVERED', 'RETURNED', 'CANCELLED', 'PENDING'] as const) {
      expect(TRACKING_TRANSITIONS[status]).toEqual([]);
    }
  });

  it('never lets a carrier record PENDING, LABEL_CREATED or CANCELLED', () => {
    const targets = new Set(Object.values(TRACKING_TRANSITIONS).flat());
    expect(targets.has('PENDING')).toBe(false);
    expect(targets.has('LABEL_CREATED')).toBe(false);
    expect(targets.has('CANCELLED')).toBe(false);
  });

  it('allows a repeated IN_TRANSIT scan but not a repeated DELIVERED', () => {
    expect(canRecord('IN_TRANSIT', 'IN_TRANSIT')).toBe(true);
    expect(canRecord('DELIVERED', 'DELIVERED')).toBe(false);
  });

  it('says where a shipment can go next, or that its status is final', () => {
    expect(invalidTrackingTransition('LABEL_CREATED', 'DELIVERED').message).toBe(
      'The shipment is LABEL_CREATED and cannot be moved to DELIVERED by a tracking event (from LABEL_CREATED it can go to IN_TRANSIT)',
    );
    expect(invalidTrackingTransition('DELIVERED', 'IN_TRANSIT').message).toContain('DELIVERED is final');
  });
});

describe('checkShipInput', () => {
  it('trims the carrier and the tracking number', () => {
    expect(checkShipInput({ carrier: ' DHL ', trackingNumber: ' AB-12 ' })).toEqual({
      ok: true,
      value: { carrier: 'DHL', trackingNumber: 'AB-12' },
    });
  });

  it('generates a tracking number when none is given (null or absent)', () => {
    for (const trackingNumber of [null, undefined]) {
      const checked = checkShipInput({ carrier: 'DHL', trackingNumber });
      expect(checked.ok && checked.value.trackingNumber).toMatch(/^MP-[0-9A-F]{16}$/);
    }
  });

  it('generates tracking numbers that differ and fit the tracking number format', () => {
    const numbers = new Set(Array.from({ length: 50 }, generateTrackingNumber));
    expect(numbers.size).toBe(50);
    for (const number of numbers)
      expect(checkShipInput({ carrier: 'X', trackingNumber: number }).ok).toBe(true);
  });

  it('shortens a very long value in the message', () => {
    const checked = checkShipInput({ carrier: 'c'.repeat(10_000) });
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors[0]!.message.length).toBeLessThan(200);
  });
});

describe('checkTrackingInput', () => {
  const base = { status: 'IN_TRANSIT' as const, description: 'Picked up' };

  it('defaults occurredAt to now and an empty location to null', () => {
    expect(checkTrackingInput({ ...base, location: '  ' }, now)).toEqual({
      ok: true,
      value: { status: 'IN_TRANSIT', description: 'Picked up', location: null, occurredAt: now },
    });
  });

  it('keeps a past occurredAt, with any time zone offset', () => {
    const checked = checkTrackingInput({ ...base, occurredAt: '2026-11-21T10:30:00+01:00' }, now);
    expect(checked.ok && checked.value.occurredAt.toISOString()).toBe('2026-11-21T09:30:00.000Z');
  });

  it('takes an occurredAt within the clock skew ahead as now, and refuses one beyond it', () => {
    const within = new Date(now.getTime() + CLOCK_SKEW_MS).toISOString();
    const beyond = new Date(now.getTime() + CLOCK_SKEW_MS + 1_000).toISOString();
    const accepted = checkTrackingInput({ ...base, occurredAt: within }, now);
    expect(accepted.ok && accepted.value.occurredAt).toEqual(now);
    expect(checkTrackingInput({ ...base, occurredAt: beyond }, now).ok).toBe(false);
  });

  it('refuses dates that are not ISO-8601 date-times with a zone, including impossible ones', () => {
    for (const occurredAt of ['2026-11-21', '21/11/2026 10:00', '2026-13-45T99:00:00Z', '']) {
      const checked = checkTrackingInput({ ...base, occurredAt }, now);
      expect([occurredAt, checked.ok]).toEqual([occurredAt, false]);
    }
  });
});
