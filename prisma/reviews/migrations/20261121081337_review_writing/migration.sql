-- AlterTable
ALTER TABLE "reviews" ADD COLUMN     "moderation_reason" TEXT;

-- CreateTable
CREATE TABLE "received_products" (
    "buyer_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "seller_id" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "received_products_pkey" PRIMARY KEY ("buyer_id","product_id")
);
