-- Hand-written: a backfill and CHECK constraints, which Prisma cannot express (see prisma/tools/diff-cli.ts).

-- Products rated before `rating_sum` existed (the demo seed) get the sum their average and count imply
-- (exact while the 2-decimal average was rounded from fewer than 100 reviews).
UPDATE "products" SET "rating_sum" = round("rating_average" * "rating_count") WHERE "rating_count" > 0;

-- Every rating is 1-5 stars, so a product's sum lies between its count and five times its count.
ALTER TABLE "products" ADD CONSTRAINT "products_rating_sum_in_range"
  CHECK ("rating_count" >= 0 AND "rating_sum" BETWEEN "rating_count" AND 5 * "rating_count");
ALTER TABLE "product_review_ratings" ADD CONSTRAINT "product_review_ratings_rating_in_range"
  CHECK ("rating" BETWEEN 1 AND 5);
