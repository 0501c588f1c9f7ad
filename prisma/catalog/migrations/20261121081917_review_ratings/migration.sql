-- AlterTable
ALTER TABLE "products" ADD COLUMN     "rating_sum" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "product_review_ratings" (
    "review_id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "rating" INTEGER NOT NULL,
    "counted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_review_ratings_pkey" PRIMARY KEY ("review_id")
);

-- CreateIndex
CREATE INDEX "product_review_ratings_product_id_idx" ON "product_review_ratings"("product_id");

-- AddForeignKey
ALTER TABLE "product_review_ratings" ADD CONSTRAINT "product_review_ratings_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "products"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
