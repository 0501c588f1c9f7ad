// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { Edge } from '@mp/kit';
import type { ReviewRow } from './repositories/review.repository.ts';
import type { ReviewConnection } from './services/review.service.ts';

export type ReviewModel = ReviewRow;
export type ReviewEdgeModel = Edge<ReviewRow>;
export type ReviewConnectionModel = ReviewConnection;
/** Another subgraph's entity as reviews sees it: only its key. */
export interface EntityRefModel {
  id: string;
}
export type ProductModel = EntityRefModel;
export type SellerModel = EntityRefModel;
export type UserModel = EntityRefModel;

export const mappers = {
  Review: '../mappers.ts#ReviewModel',
  ReviewEdge: '../mappers.ts#ReviewEdgeModel',
  ReviewConnection: '../mappers.ts#ReviewConnectionModel',
  Product: '../mappers.ts#ProductModel',
  Seller: '../mappers.ts#SellerModel',
  User: '../mappers.ts#UserModel',
};
