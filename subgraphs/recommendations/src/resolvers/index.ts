import type { Resolvers } from '../generated/graphql.ts';
import * as recommendationService from '../services/recommendation.service.ts';

export const resolvers: Resolvers = {
  Query: {
    recommendedProducts: (_, { first }, ctx) => recommendationService.recommendedProducts(ctx, first),
  },
  Product: {
    __resolveReference: (ref) => ({ id: ref.id }),
    alsoBought: (product, { first }, ctx) => recommendationService.alsoBought(ctx, product.id, first),
  },
};
