// The shipment state machine and input rules: pure functions, shared by the mutations, the order-event
// consumer and the carrier simulator, so every path follows the same rules.
import { randomBytes } from 'node:crypto';
import { userError, type UserError as KitUserError } from '@mp/kit';
import type { UserErrorCode } from '../generated/graphql.ts';
import type { ShipmentStatus } from '../generated/prisma/client.ts';

export type UserError = KitUserError<UserErrorCode>;

/** The only status a seller ships from (to LABEL_CREATED), and the only one an order cancellation ends. */
export const AWAITING_SHIPMENT: ShipmentStatus = 'PENDING';

/**
 * The moves a carrier's tracking event may make, by current status. PENDING leaves only through
 * `shipShipment` (LABEL_CREATED) or the order's cancellation (CANCELLED); DELIVERED, RETURNED and
 * CANCELLED are final.
 */
export const TRACKING_TRANSITIONS: Readonly<Record<ShipmentStatus, readonly ShipmentStatus[]>> = {
  PENDING: [],
  LABEL_CREATED: ['IN_TRANSIT'],
  IN_TRANSIT: ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'FAILED_ATTEMPT', 'RETURNED'],
  OUT_FOR_DELIVERY: ['DELIVERED', 'FAILED_ATTEMPT'],
  FAILED_ATTEMPT: ['OUT_FOR_DELIVERY', 'IN_TRANSIT', 'RETURNED'],
  DELIVERED: [],
  RETURNED: [],
  CANCELLED: [],
};

/** Statuses a tracking event can bring a shipment to (never PENDING, LABEL_CREATED or CANCELLED). */
const RECORDABLE = new Set(Object.values(TRACKING_TRANSITIONS).flat());

export function canRecord(from: ShipmentStatus, to: ShipmentStatus): boolean {
  return TRACKING_TRANSITIONS[from].includes(to);
}

/** Why a tracking event cannot move a shipment from `from` to `to`. */
export function invalidTrackingTransition(from: ShipmentStatus, to: ShipmentStatus): UserError {
  const allowed = TRACKING_TRANSITIONS[from];
  const next = allowed.length > 0 ? `from ${from} it can go to ${allowed.join(', ')}` : `${from} is final`;
  return userError(
    ['input', 'status'],
    `The shipment is ${from} and cannot be moved to ${to} by a tracking event (${next})`,
    'INVALID_TRANSITION',
  );
}

/** Shows a user's value in a message without flooding it. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

const TRACKING_NUMBER = /^[A-Za-z0-9-]{1,64}$/;

/** A tracking number for a seller who gave none: "MP-" and 16 hex digits. */
export function generateTrackingNumber(): string {
  return `MP-${randomBytes(8).toString('hex').toUpperCase()}`;
}

export interface ValidShipInput {
  carrier: string;
  trackingNumber: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };

/** `shipShipment`'s input, trimmed; every problem at once. */
export function checkShipInput(input: {
  carrier: string;
  trackingNumber?: string | null;
}): Checked<ValidShipInput> {
  const errors: UserError[] = [];
  const carrier = input.carrier.trim();
  if (carrier.length < 1 || carrier.length > 50) {
    errors.push(
      userError(
        ['input', 'carrier'],
        `Carrier ${quoted(input.carrier)} must be 1–50 characters (it has ${carrier.length})`,
        'INVALID_INPUT',
      ),
    );
  }
  const given = input.trackingNumber?.trim();
  if (given !== undefined && !TRACKING_NUMBER.test(given)) {
    errors.push(
      userError(
        ['input', 'trackingNumber'],
        `Tracking number ${quoted(input.trackingNumber ?? '')} must be 1–64 letters, digits or hyphens`,
        'INVALID_INPUT',
      ),
    );
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { carrier, trackingNumber: given ?? generateTrackingNumber() } };
}

/** How far in the future a reported occurredAt may be: carriers' clocks are not ours. */
export const CLOCK_SKEW_MS = 60_000;

export interface TrackingInput {
  status: ShipmentStatus;
  description: string;
  location?: string | null;
  /** From the DateTime scalar: an ISO-8601 string as the client sent it (or a Date). */
  occurredAt?: Date | string | null;
}

export interface ValidTrackingEvent {
  status: ShipmentStatus;
  description: string;
  location: string | null;
  occurredAt: Date;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseOccurredAt(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A tracking event's input, trimmed, with occurredAt defaulting to `now`; every problem at once. */
export function checkTrackingInput(input: TrackingInput, now: Date): Checked<ValidTrackingEvent> {
  const errors: UserError[] = [];
  if (!RECORDABLE.has(input.status)) {
    errors.push(
      userError(
        ['input', 'status'],
        `${input.status} cannot be recorded as a tracking event (a carrier can record ${[...RECORDABLE].join(', ')})`,
        'INVALID_TRANSITION',
      ),
    );
  }
  const description = input.description.trim();
  if (description.length < 1 || description.length > 500) {
    errors.push(
      userError(
        ['input', 'description'],
        `Description ${quoted(input.description)} must be 1–500 characters (it has ${description.length})`,
        'INVALID_INPUT',
      ),
    );
  }
  const location = input.location?.trim() || null;
  if (location !== null && location.length > 200) {
    errors.push(
      userError(
        ['input', 'location'],
        `Location ${quoted(location)} must be at most 200 characters (it has ${location.length})`,
        'INVALID_INPUT',
      ),
    );
  }
  let occurredAt = now;
  if (input.occurredAt !== undefined && input.occurredAt !== null) {
    const parsed = parseOccurredAt(input.occurredAt);
    const shown =
      input.occurredAt instanceof Date ? input.occurredAt.toISOString() : String(input.occurredAt);
    if (parsed === null) {
      errors.push(
        userError(
          ['input', 'occurredAt'],
          `occurredAt ${quoted(shown)} is not an ISO-8601 date-time with a time zone, e.g. 2026-11-21T09:30:00Z`,
          'INVALID_INPUT',
        ),
      );
    } else if (parsed.getTime() > now.getTime() + CLOCK_SKEW_MS) {
      errors.push(
        userError(
          ['input', 'occurredAt'],
          `occurredAt ${parsed.toISOString()} is in the future (now is ${now.toISOString()})`,
          'INVALID_INPUT',
        ),
      );
    } else if (parsed < now) {
      // Within the tolerated skew a "future" time is the carrier's clock running ahead: it counts as now.
      occurredAt = parsed;
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { status: input.status, description, location, occurredAt } };
}
