-- CreateEnum
CREATE TYPE "SellerStatus" AS ENUM ('PENDING', 'ACTIVE', 'SUSPENDED');

-- CreateTable
CREATE TABLE "product_listings" (
    "product_id" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "category_id" TEXT NOT NULL,
    "stock" INTEGER NOT NULL,
    "listed_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "product_listings_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "seller_states" (
    "seller_id" TEXT NOT NULL,
    "status" "SellerStatus" NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "seller_states_pkey" PRIMARY KEY ("seller_id")
);

-- CreateTable
CREATE TABLE "purchased_orders" (
    "order_id" TEXT NOT NULL,
    "buyer_id" TEXT NOT NULL,
    "product_ids" TEXT[],
    "confirmed_at" TIMESTAMPTZ(3) NOT NULL,
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "purchased_orders_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "buyer_products" (
    "buyer_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "orders" INTEGER NOT NULL,
    "first_bought_at" TIMESTAMPTZ(3) NOT NULL,
    "last_bought_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "buyer_products_pkey" PRIMARY KEY ("buyer_id","product_id")
);

-- CreateTable
CREATE TABLE "product_stats" (
    "product_id" TEXT NOT NULL,
    "buyers" INTEGER NOT NULL,
    "orders" INTEGER NOT NULL,
    "popularity_log2" DOUBLE PRECISION,

    CONSTRAINT "product_stats_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "co_purchases" (
    "product_id" TEXT NOT NULL,
    "other_id" TEXT NOT NULL,
    "buyers" INTEGER NOT NULL,

    CONSTRAINT "co_purchases_pkey" PRIMARY KEY ("product_id","other_id")
);

-- CreateTable
CREATE TABLE "inbox_events" (
    "event_id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inbox_events_pkey" PRIMARY KEY ("event_id","consumer")
);

-- CreateTable
CREATE TABLE "dead_letter_events" (
    "id" UUID NOT NULL,
    "consumer" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "aggregate_id" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "failed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "product_listings_seller_id_idx" ON "product_listings"("seller_id");

-- CreateIndex
CREATE INDEX "purchased_orders_buyer_id_idx" ON "purchased_orders"("buyer_id");

-- CreateIndex
CREATE INDEX "buyer_products_buyer_id_last_bought_at_idx" ON "buyer_products"("buyer_id", "last_bought_at" DESC);
