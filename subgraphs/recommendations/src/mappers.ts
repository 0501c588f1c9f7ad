// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { ShelfFields } from './repositories/recommendation.repository.ts';

/** What a shelf shows of a product (the schema @provides it), with the id of the shop it names. */
export interface Shelf extends ShelfFields {
  sellerId: string;
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
