import type { Resolvers } from '../generated/graphql.ts';
import * as sellerService from '../services/seller.service.ts';

export const resolvers: Resolvers = {
  Query: {
    seller: (_, { id }, ctx) => ctx.loaders.sellerById.load(id),
    mySeller: (_, __, ctx) => (ctx.identity ? ctx.loaders.sellerByOwnerId.load(ctx.identity.userId) : null),
  },
  Mutation: {
    createSeller: (_, { input }, ctx) => sellerService.createSeller(ctx, input),
    setSellerStatus: (_, { id, status }, ctx) => sellerService.setSellerStatus(ctx, id, status),
  },
  Seller: {
    __resolveReference: (ref, ctx) => ctx.loaders.sellerById.load(ref.id),
    createdAt: (seller) => seller.createdAt.toISOString(),
  },
  User: {
    __resolveReference: (ref) => ({ id: ref.id }),
    seller: (user, _, ctx) => ctx.loaders.sellerByOwnerId.load(user.id),
  },
  Product: {
    __resolveReference: (ref) => ref,
    seller: (product, _, ctx) => ctx.loaders.sellerById.load(product.sellerId),
  },
};
