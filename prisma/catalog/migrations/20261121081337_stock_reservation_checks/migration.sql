-- Hand-written: CHECK constraints, which Prisma cannot express (see prisma/tools/diff-cli.ts).

-- Backstops for the reservation rules in services/stock-reservation.service.ts: units only move between
-- the three buckets while each stays non-negative, and a reservation always holds at least one unit.
ALTER TABLE "products" ADD CONSTRAINT "products_reserved_non_negative" CHECK ("reserved" >= 0);
ALTER TABLE "products" ADD CONSTRAINT "products_sold_non_negative" CHECK ("sold" >= 0);
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_quantity_positive" CHECK ("quantity" > 0);
