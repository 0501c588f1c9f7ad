import { toMoney } from '@mp/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as recommendationService from '../services/recommendation.service.ts';

export const resolvers: Resolvers = {
  Query: {
    recommendedProducts: (_, { first }, ctx) => recommendationService.recommendedProducts(ctx, first),
  },
  Product: {
    __resolveReference: (ref) => ({ id: ref.id }),
    alsoBought: (product, { first }, ctx) => recommendationService.alsoBought(ctx, product.id, first),
    // The fields @provides'd on the lists above (the gateway asks for them nowhere else).
    title: async (product, _, ctx) => (await recommendationService.shelfCard(ctx, product.id)).title,
    price: async (product, _, ctx) => {
      const card = await recommendationService.shelfCard(ctx, product.id);
      return toMoney(Number(card.priceMinor), card.currencyCode);
    },
    seller: async (product, _, ctx) => {
      const card = await recommendationService.shelfCard(ctx, product.id);
      return { id: card.sellerId, name: card.sellerName };
    },
  },
};
