import { describe, expect, it } from 'vitest';
import type { ShipmentStatus } from '../generated/prisma/client.ts';
import { nextScan } from './carrier-simulator.ts';
import { canRecord, checkTrackingInput } from './shipment-rules.ts';

const ALL: ShipmentStatus[] = [
  'PENDING',
  'LABEL_CREATED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'FAILED_ATTEMPT',
  'RETURNED',
  'CANCELLED',
];

describe('nextScan', () => {
  it('proposes only moves a carrier may make, with input recordTrackingEvent accepts', () => {
    for (const status of ALL) {
      const scan = nextScan({ id: `shipment-${status}`, status, carrier: 'DHL' });
      if (!scan) continue;
      expect([status, canRecord(status, scan.status)]).toEqual([status, true]);
      expect(checkTrackingInput(scan, new Date()).ok).toBe(true);
    }
  });

  it('takes a shipped parcel to DELIVERED in three steps, and a missed attempt back out for delivery', () => {
    const path: ShipmentStatus[] = ['LABEL_CREATED'];
    for (let status = path[0]!; nextScan({ id: 's', status, carrier: 'DHL' });) {
      status = nextScan({ id: 's', status, carrier: 'DHL' })!.status;
      path.push(status);
    }
    expect(path).toEqual(['LABEL_CREATED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect(nextScan({ id: 's', status: 'FAILED_ATTEMPT', carrier: 'DHL' })?.status).toBe('OUT_FOR_DELIVERY');
  });

  it('leaves PENDING, final and cancelled shipments where they are', () => {
    for (const status of ['PENDING', 'DELIVERED', 'RETURNED', 'CANCELLED'] as const) {
      expect(nextScan({ id: 's', status, carrier: null })).toBeNull();
    }
  });

  it('tells one consistent journey per parcel: the same depot on every step of one shipment', () => {
    const first = nextScan({ id: 'parcel-42', status: 'IN_TRANSIT', carrier: 'DHL' });
    const again = nextScan({ id: 'parcel-42', status: 'FAILED_ATTEMPT', carrier: 'DHL' });
    expect(first?.location).toBe(again?.location);
  });
});
