// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { Connection } from '@mp/kit';
import type { CategoryRow } from './repositories/category.repository.ts';
import type { ProductRow } from './repositories/product.repository.ts';

export type ProductModel = ProductRow;
export type CategoryModel = CategoryRow;
/** A Seller entity as catalog sees it: only the key; sellers owns the rest. */
export interface SellerModel {
  id: string;
}
export type ProductConnectionModel = Connection<ProductRow> & { totalCount: number };

export const mappers = {
  Product: '../mappers.ts#ProductModel',
  Category: '../mappers.ts#CategoryModel',
  Seller: '../mappers.ts#SellerModel',
  ProductConnection: '../mappers.ts#ProductConnectionModel',
};
