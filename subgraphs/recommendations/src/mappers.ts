// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
/** Catalog's Product as recommendations sees it: only its key. */
export interface ProductModel {
  id: string;
}

export const mappers = {
  Product: '../mappers.ts#ProductModel',
};
