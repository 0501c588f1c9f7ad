-- Constraints Prisma cannot express. The model's counts are kept by increments and decrements from
-- events; a bug that would drive one below zero, or pair a product with itself, fails the event's
-- transaction (and so retries, then dead-letters it) instead of silently skewing recommendations.
ALTER TABLE "product_listings" ADD CONSTRAINT "product_listings_stock_nonnegative" CHECK ("stock" >= 0);
ALTER TABLE "buyer_products" ADD CONSTRAINT "buyer_products_orders_positive" CHECK ("orders" > 0);
ALTER TABLE "product_stats" ADD CONSTRAINT "product_stats_counts_nonnegative"
  CHECK ("buyers" >= 0 AND "orders" >= 0 AND "buyers" <= "orders");
ALTER TABLE "product_stats" ADD CONSTRAINT "product_stats_popularity_iff_orders"
  CHECK (("orders" > 0) = ("popularity_log2" IS NOT NULL));
ALTER TABLE "co_purchases" ADD CONSTRAINT "co_purchases_buyers_positive" CHECK ("buyers" > 0);
ALTER TABLE "co_purchases" ADD CONSTRAINT "co_purchases_distinct_products" CHECK ("product_id" <> "other_id");
