// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.

/** What a shelf shows of a product, as this subgraph's projection has it (the schema @provides it). */
export interface Shelf {
  title: string;
  /** Integer minor units, as pg returns BIGINT (a string). */
  priceMinor: string;
  currencyCode: string;
  sellerId: string;
  sellerName: string;
}

/**
 * Catalog's Product as recommendations sees it: its key, plus the shelf fields on the products this
 * subgraph returns in its lists (the only place the gateway asks it for them). A reference resolved
 * through `_entities` has no shelf.
 */
export interface ProductModel {
  id: string;
  shelf?: Shelf;
}

export const mappers = {
  Product: '../mappers.ts#ProductModel',
};
