import type { Prisma, PrismaClient, ShipmentStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface ShipmentEventRow {
  id: bigint;
  shipmentId: string;
  status: ShipmentStatus;
  description: string;
  location: string | null;
  occurredAt: Date;
  recordedAt: Date;
}

const eventSelect = {
  id: true,
  shipmentId: true,
  status: true,
  description: true,
  location: true,
  occurredAt: true,
  recordedAt: true,
} as const;

export type NewShipmentEvent = Omit<ShipmentEventRow, 'id'>;

export function create(db: Db, event: NewShipmentEvent): Promise<ShipmentEventRow> {
  return db.shipmentEvent.create({ data: event, select: eventSelect });
}

/**
 * The timelines of the given shipments, each in recording order: every entry moved the status on from
 * the one before, so the last entry's status is the shipment's (occurredAt is as reported, and a late
 * report may carry an earlier time).
 */
export function findByShipmentIds(db: Db, shipmentIds: readonly string[]): Promise<ShipmentEventRow[]> {
  return db.shipmentEvent.findMany({
    where: { shipmentId: { in: [...shipmentIds] } },
    orderBy: [{ shipmentId: 'asc' }, { id: 'asc' }],
    select: eventSelect,
  });
}
