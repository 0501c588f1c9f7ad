// A pretend carrier for development and all-in-one mode: it scans every shipped parcel forward one step
// at a time (LABEL_CREATED → IN_TRANSIT → OUT_FOR_DELIVERY → DELIVERED) through `recordTracking`, the
// function behind `recordTrackingEvent`, so its timeline entries and events are exactly a real
// carrier's.
import type { Logger } from '@mp/kit';
import type { PrismaClient, ShipmentStatus } from '../generated/prisma/client.ts';
import * as shipments from '../repositories/shipment.repository.ts';
import type { ShipmentRow } from '../repositories/shipment.repository.ts';
import type { TrackingInput } from './shipment-rules.ts';
import { recordTracking } from './tracking.service.ts';

/** Statuses the simulator moves on from (a FAILED_ATTEMPT a real carrier recorded gets a new attempt). */
const MOVING: readonly ShipmentStatus[] = [
  'LABEL_CREATED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'FAILED_ATTEMPT',
];

const HUBS = ['Leipzig', 'Rotterdam', 'Lyon', 'Milan', 'Warsaw', 'Madrid'];
const CITIES = ['Berlin', 'Amsterdam', 'Paris', 'Vienna', 'Copenhagen', 'Lisbon'];

/** A stable pick per shipment, so one parcel's scans tell one consistent journey. */
function pick(list: readonly string[], shipmentId: string, salt: number): string {
  let hash = salt;
  for (const char of shipmentId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return list[hash % list.length]!;
}

/** The scan that moves a parcel one step on, or null when it has nowhere to go. */
export function nextScan(shipment: Pick<ShipmentRow, 'id' | 'status' | 'carrier'>): TrackingInput | null {
  const hub = pick(HUBS, shipment.id, 7);
  const city = pick(CITIES, shipment.id, 13);
  switch (shipment.status) {
    case 'LABEL_CREATED':
      return {
        status: 'IN_TRANSIT',
        description: `Picked up by ${shipment.carrier ?? 'the carrier'}; arrived at the ${hub} sorting centre`,
        location: `${hub} sorting centre`,
      };
    case 'IN_TRANSIT':
      return {
        status: 'OUT_FOR_DELIVERY',
        description: 'Out for delivery with the local courier',
        location: `${city} delivery depot`,
      };
    case 'FAILED_ATTEMPT':
      return {
        status: 'OUT_FOR_DELIVERY',
        description: 'Out for delivery again after the missed attempt',
        location: `${city} delivery depot`,
      };
    case 'OUT_FOR_DELIVERY':
      return { status: 'DELIVERED', description: 'Delivered to the recipient', location: city };
    default:
      return null;
  }
}

export interface CarrierSimulator {
  /** Stops polling and waits for the poll in progress; call before the database closes. */
  stop(): Promise<void>;
}

export interface CarrierSimulatorOptions {
  prisma: PrismaClient;
  /** A parcel moves one step once its newest timeline entry is at least this old. */
  stepMs: number;
  log: Logger;
  /** Parcels moved per transaction. */
  batchSize?: number;
}

/**
 * Polls about every min(stepMs / 2, 500 ms). Each poll is one transaction that takes up to `batchSize`
 * idle parcels with `FOR UPDATE SKIP LOCKED` and records one scan for each, so several instances (or
 * replicas) never move the same parcel twice; a full batch is followed at once by the next.
 */
export function startCarrierSimulator(options: CarrierSimulatorOptions): CarrierSimulator {
  const { prisma, stepMs, log } = options;
  const batchSize = options.batchSize ?? 25;
  const intervalMs = Math.max(10, Math.min(stepMs / 2, 500));
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> = Promise.resolve();

  /** One step for every idle parcel of a batch; the number of parcels moved. */
  async function moveBatch(): Promise<number> {
    const now = new Date();
    return prisma.$transaction(async (tx) => {
      const idle = await shipments.findIdleForUpdate(tx, MOVING, new Date(now.getTime() - stepMs), batchSize);
      let moved = 0;
      for (const shipment of idle) {
        const scan = nextScan(shipment);
        if (!scan) continue;
        const result = await recordTracking(tx, shipment.id, scan, now);
        if (result.userErrors.length === 0) moved += 1;
        else
          log.warn(
            { shipmentId: shipment.id, userErrors: result.userErrors },
            'carrier simulator scan refused',
          );
      }
      return moved;
    });
  }

  async function poll(): Promise<void> {
    try {
      while (!stopped && (await moveBatch()) === batchSize) {
        // a full batch: more parcels may be waiting
      }
    } catch (error) {
      log.error({ err: error }, 'carrier simulator poll failed; retrying at the next interval');
    }
    if (!stopped) schedule();
  }

  function schedule(): void {
    timer = setTimeout(() => {
      polling = poll();
    }, intervalMs);
    timer.unref();
  }

  log.info({ stepMs, intervalMs }, 'carrier simulator started');
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await polling;
    },
  };
}
