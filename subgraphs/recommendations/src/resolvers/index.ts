import { toMoney } from '@mp/kit';
import type { Resolvers } from '../generated/graphql.ts';
import type { ProductModel, Shelf } from '../mappers.ts';
import * as recommendationService from '../services/recommendation.service.ts';

/** The shelf a listed product was returned with; the gateway asks for these fields nowhere else. */
function shelfOf(product: ProductModel): Shelf {
  if (!product.shelf) {
    throw new Error(
      `Product ${product.id}: shelf fields are only provided on alsoBought and recommendedProducts`,
    );
  }
  return product.shelf;
}

export const resolvers: Resolvers = {
  Query: {
    recommendedProducts: (_, { first }, ctx) => recommendationService.recommendedProducts(ctx, first),
  },
  Product: {
    __resolveReference: (ref) => ({ id: ref.id }),
    alsoBought: (product, { first }, ctx) => recommendationService.alsoBought(ctx, product.id, first),
    // @provides'd on the two lists above, from what each product was ranked with.
    title: (product) => shelfOf(product).title,
    price: (product) => {
      const { priceMinor, currencyCode } = shelfOf(product);
      return toMoney(Number(priceMinor), currencyCode);
    },
    seller: (product) => {
      const { sellerId, sellerName } = shelfOf(product);
      return { id: sellerId, name: sellerName };
    },
  },
};
