-- AlterTable
ALTER TABLE "product_projections" DROP COLUMN "stock";
