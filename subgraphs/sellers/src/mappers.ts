// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { SellerRow } from './repositories/seller.repository.ts';

export type SellerModel = SellerRow;
/** A Product entity as sellers sees it: the key plus the field it @requires from catalog. */
export interface ProductModel {
  id: string;
  sellerId: string;
}

export const mappers = {
  Seller: '../mappers.ts#SellerModel',
  Product: '../mappers.ts#ProductModel',
};
