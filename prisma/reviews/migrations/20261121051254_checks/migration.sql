-- Hand-written migration: SQL that schema.prisma cannot express.
-- Declare what Prisma can see (Unsupported(...) columns, @@index(..., type: Gin)) in schema.prisma
-- too, or `pnpm db:diff --check` will ask to drop it again. See prisma/tools/diff-cli.ts.

-- Ratings are whole stars; anything else would skew every aggregate built from them.
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_rating_check" CHECK ("rating" BETWEEN 1 AND 5);

-- Aggregates only ever grow by approved ratings (1–5 each), so they can never go negative or exceed 5 × count.
ALTER TABLE "product_ratings" ADD CONSTRAINT "product_ratings_totals_check"
  CHECK ("rating_count" >= 0 AND "rating_sum" BETWEEN "rating_count" AND 5 * "rating_count");
ALTER TABLE "seller_ratings" ADD CONSTRAINT "seller_ratings_totals_check"
  CHECK ("rating_count" >= 0 AND "rating_sum" BETWEEN "rating_count" AND 5 * "rating_count");
