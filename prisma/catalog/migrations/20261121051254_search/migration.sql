-- Hand-written: what Prisma cannot express (see prisma/tools/diff-cli.ts). Declared in schema.prisma
-- as `searchVector Unsupported("tsvector")?` and `@@index([searchVector], type: Gin, ...)`.

-- Full-text search over title (weight A) and description (weight B), kept current by PostgreSQL.
ALTER TABLE "products"
  ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce("title", '')), 'A') ||
    setweight(to_tsvector('english', coalesce("description", '')), 'B')
  ) STORED;

CREATE INDEX "products_search_vector_idx" ON "products" USING GIN ("search_vector");

-- Backstops for rules the service already enforces.
ALTER TABLE "products" ADD CONSTRAINT "products_stock_non_negative" CHECK ("stock" >= 0);
ALTER TABLE "products" ADD CONSTRAINT "products_price_non_negative" CHECK ("price_minor" >= 0);
