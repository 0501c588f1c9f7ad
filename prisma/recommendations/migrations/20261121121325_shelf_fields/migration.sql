-- AlterTable
ALTER TABLE "product_listings" ADD COLUMN     "currency_code" TEXT,
ADD COLUMN     "price_minor" BIGINT,
ADD COLUMN     "title" TEXT;

-- AlterTable
ALTER TABLE "seller_states" ADD COLUMN     "name" TEXT;
