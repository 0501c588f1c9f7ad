-- Hand-written: backstops for rules the services already enforce (see prisma/tools/diff-cli.ts; Prisma
-- cannot express CHECK constraints and never reports them).

-- What shipShipment accepts.
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_carrier_length"
  CHECK ("carrier" IS NULL OR char_length("carrier") BETWEEN 1 AND 50);
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_tracking_number_format"
  CHECK ("tracking_number" IS NULL OR "tracking_number" ~ '^[A-Za-z0-9-]{1,64}$');

-- A parcel that left (any status but PENDING and CANCELLED) has its label: carrier, tracking number and
-- the time it was shipped.
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_shipped_has_label"
  CHECK ("status" IN ('PENDING', 'CANCELLED')
         OR ("carrier" IS NOT NULL AND "tracking_number" IS NOT NULL AND "shipped_at" IS NOT NULL));

-- delivered_at is set exactly when the parcel is DELIVERED.
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_delivered_at_iff_delivered"
  CHECK (("status" = 'DELIVERED') = ("delivered_at" IS NOT NULL));

-- Timeline entries as recordTrackingEvent accepts them.
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_description_length"
  CHECK (char_length("description") BETWEEN 1 AND 500);
ALTER TABLE "shipment_events" ADD CONSTRAINT "shipment_events_location_length"
  CHECK ("location" IS NULL OR char_length("location") BETWEEN 1 AND 200);
