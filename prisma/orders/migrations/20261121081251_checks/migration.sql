-- Constraints Prisma cannot express: quantities and amounts in range, whatever writes them.
ALTER TABLE "cart_items" ADD CONSTRAINT "cart_items_quantity_range" CHECK ("quantity" BETWEEN 1 AND 999);
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_quantity_range" CHECK ("quantity" BETWEEN 1 AND 999);
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_unit_price_nonnegative" CHECK ("unit_price_minor" >= 0);
ALTER TABLE "orders" ADD CONSTRAINT "orders_total_nonnegative" CHECK ("total_minor" >= 0);
ALTER TABLE "seller_orders" ADD CONSTRAINT "seller_orders_subtotal_nonnegative" CHECK ("subtotal_minor" >= 0);
ALTER TABLE "orders" ADD CONSTRAINT "orders_cancel_reason_iff_cancelled"
  CHECK (("status" = 'CANCELLED') = ("cancel_reason" IS NOT NULL));
