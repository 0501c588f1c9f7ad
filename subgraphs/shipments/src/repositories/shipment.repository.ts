import { Prisma, type PrismaClient, type ShipmentStatus } from '../generated/prisma/client.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** One product line of a parcel. */
export interface ShipmentItem {
  productId: string;
  quantity: number;
}

export interface ShipmentRow {
  id: string;
  orderId: string;
  sellerOrderId: string;
  sellerId: string;
  buyerId: string;
  status: ShipmentStatus;
  carrier: string | null;
  trackingNumber: string | null;
  items: ShipmentItem[];
  shippedAt: Date | null;
  deliveredAt: Date | null;
  /** When the newest timeline entry was recorded. */
  lastEventAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

const shipmentSelect = {
  id: true,
  orderId: true,
  sellerOrderId: true,
  sellerId: true,
  buyerId: true,
  status: true,
  carrier: true,
  trackingNumber: true,
  items: true,
  shippedAt: true,
  deliveredAt: true,
  lastEventAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

type SelectedShipment = Prisma.ShipmentGetPayload<{ select: typeof shipmentSelect }>;

/** The `items` jsonb column holds `[{ productId, quantity }]`; anything else is skipped. */
export function toItems(json: unknown): ShipmentItem[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { productId, quantity } = item as Record<string, unknown>;
    return typeof productId === 'string' && typeof quantity === 'number' ? [{ productId, quantity }] : [];
  });
}

function toRow(shipment: SelectedShipment): ShipmentRow {
  return { ...shipment, items: toItems(shipment.items) };
}

/** A shipments row as raw SQL returns it. */
interface RawShipment {
  id: string;
  order_id: string;
  seller_order_id: string;
  seller_id: string;
  buyer_id: string;
  status: ShipmentStatus;
  carrier: string | null;
  tracking_number: string | null;
  items: unknown;
  shipped_at: Date | null;
  delivered_at: Date | null;
  last_event_at: Date;
  created_at: Date;
  updated_at: Date;
}

const RAW_COLUMNS = Prisma.sql`id, order_id, seller_order_id, seller_id, buyer_id, status::text AS status,
  carrier, tracking_number, items, shipped_at, delivered_at, last_event_at, created_at, updated_at`;

function fromRaw(row: RawShipment): ShipmentRow {
  const date = (value: Date | null) => (value === null ? null : new Date(value));
  return {
    id: row.id,
    orderId: row.order_id,
    sellerOrderId: row.seller_order_id,
    sellerId: row.seller_id,
    buyerId: row.buyer_id,
    status: row.status,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    items: toItems(row.items),
    shippedAt: date(row.shipped_at),
    deliveredAt: date(row.delivered_at),
    lastEventAt: new Date(row.last_event_at),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function findByIds(db: Db, ids: readonly string[]): Promise<ShipmentRow[]> {
  const rows = await db.shipment.findMany({ where: { id: { in: [...ids] } }, select: shipmentSelect });
  return rows.map(toRow);
}

/** The shipments of the given orders, oldest first (then by seller order id, for a stable order). */
export async function findByOrderIds(db: Db, orderIds: readonly string[]): Promise<ShipmentRow[]> {
  const rows = await db.shipment.findMany({
    where: { orderId: { in: [...orderIds] } },
    orderBy: [{ createdAt: 'asc' }, { sellerOrderId: 'asc' }],
    select: shipmentSelect,
  });
  return rows.map(toRow);
}

export async function findBySellerOrderIds(
  db: Db,
  sellerOrderIds: readonly string[],
): Promise<ShipmentRow[]> {
  const rows = await db.shipment.findMany({
    where: { sellerOrderId: { in: [...sellerOrderIds] } },
    select: shipmentSelect,
  });
  return rows.map(toRow);
}

export interface NewShipment {
  id: string;
  orderId: string;
  sellerOrderId: string;
  sellerId: string;
  buyerId: string;
  items: ShipmentItem[];
  /** Creation time; also the time of the first timeline entry. */
  at: Date;
}

/**
 * Inserts a PENDING shipment unless its seller order already has one (`seller_order_id` is unique);
 * null when it had. ON CONFLICT rather than a caught unique violation, which would abort the caller's
 * whole transaction.
 */
export async function insertIfAbsent(db: Db, shipment: NewShipment): Promise<ShipmentRow | null> {
  const items = JSON.stringify(shipment.items.map(({ productId, quantity }) => ({ productId, quantity })));
  const rows = await db.$queryRaw<RawShipment[]>`
    INSERT INTO shipments (id, order_id, seller_order_id, seller_id, buyer_id, status, items,
                           last_event_at, created_at, updated_at)
    VALUES (${shipment.id}, ${shipment.orderId}, ${shipment.sellerOrderId}, ${shipment.sellerId},
            ${shipment.buyerId}, 'PENDING', ${items}::jsonb, ${shipment.at}, ${shipment.at}, ${shipment.at})
    ON CONFLICT (seller_order_id) DO NOTHING
    RETURNING ${RAW_COLUMNS}`;
  const row = rows[0];
  return row ? fromRaw(row) : null;
}

/**
 * The shipment with its row locked (`FOR UPDATE`) until the transaction ends, so the status it returns
 * stays the one the caller's change starts from; null when there is none. Raw SQL because Prisma's
 * query builder cannot lock rows.
 */
export async function findByIdForUpdate(db: Db, id: string): Promise<ShipmentRow | null> {
  const rows = await db.$queryRaw<RawShipment[]>`
    SELECT ${RAW_COLUMNS} FROM shipments WHERE id = ${id} FOR UPDATE`;
  const row = rows[0];
  return row ? fromRaw(row) : null;
}

/**
 * Up to `limit` shipments in one of `statuses` whose newest timeline entry was recorded at or before
 * `recordedBefore`, oldest entry first, locked `FOR UPDATE SKIP LOCKED`: rows another transaction holds
 * are passed over, so several pollers never take the same shipment.
 */
export async function findIdleForUpdate(
  db: Db,
  statuses: readonly ShipmentStatus[],
  recordedBefore: Date,
  limit: number,
): Promise<ShipmentRow[]> {
  const rows = await db.$queryRaw<RawShipment[]>`
    SELECT ${RAW_COLUMNS} FROM shipments
     WHERE status::text = ANY(${[...statuses]}::text[]) AND last_event_at <= ${recordedBefore}
     ORDER BY last_event_at
     LIMIT ${limit}::int
       FOR UPDATE SKIP LOCKED`;
  return rows.map(fromRaw);
}

export type ShipmentChanges = Partial<
  Pick<ShipmentRow, 'status' | 'carrier' | 'trackingNumber' | 'shippedAt' | 'deliveredAt' | 'lastEventAt'>
>;

export async function update(db: Db, id: string, changes: ShipmentChanges): Promise<ShipmentRow> {
  return toRow(await db.shipment.update({ where: { id }, data: changes, select: shipmentSelect }));
}

/** Moves every shipment of the order that is in status `from` to `changes`; returns them as they are now. */
export async function updateOfOrderInStatus(
  db: Db,
  orderId: string,
  from: ShipmentStatus,
  changes: ShipmentChanges,
): Promise<ShipmentRow[]> {
  const locked = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM shipments WHERE order_id = ${orderId} AND status::text = ${from} ORDER BY id FOR UPDATE`;
  const updated: ShipmentRow[] = [];
  for (const { id } of locked) updated.push(await update(db, id, changes));
  return updated;
}
