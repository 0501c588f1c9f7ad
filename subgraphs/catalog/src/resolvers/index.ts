import { toMoney } from '@mp/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as categories from '../repositories/category.repository.ts';
import * as productQueries from '../services/product-query.service.ts';
import * as productService from '../services/product.service.ts';

export const resolvers: Resolvers = {
  Query: {
    categories: async (_, __, ctx) => {
      const all = await categories.findAll(ctx.prisma);
      // The whole tree is in hand: parent and children of every node resolve without another query.
      for (const category of all) {
        ctx.loaders.categoryById.prime(category.id, category);
        ctx.loaders.categoriesByParentId.prime(
          category.id,
          all.filter((c) => c.parentId === category.id),
        );
      }
      return all;
    },
    product: (_, { id }, ctx) => productQueries.findVisibleProduct(ctx, id),
    products: (_, args, ctx) => productQueries.listProducts(ctx, args),
  },
  Mutation: {
    createProduct: (_, { input }, ctx) => productService.createProduct(ctx, input),
    updateProduct: (_, { id, input }, ctx) => productService.updateProduct(ctx, id, input),
    setStock: (_, { productId, quantity }, ctx) => productService.setStock(ctx, productId, quantity),
  },
  Product: {
    // Entity references come from other subgraphs' records (orders, carts, reviews), which must keep
    // rendering after a shop is suspended, so hidden products still resolve here.
    __resolveReference: (ref, ctx) => ctx.loaders.productById.load(ref.id),
    price: (product) => toMoney(Number(product.priceMinor), product.currencyCode),
    inStock: (product) => product.stock > 0,
    category: async (product, _, ctx) => {
      const category = await ctx.loaders.categoryById.load(product.categoryId);
      // A foreign key guarantees the category exists; reaching this is a bug worth a loud error.
      if (!category)
        throw new Error(`Category "${product.categoryId}" of product "${product.id}" is missing`);
      return category;
    },
    createdAt: (product) => product.createdAt.toISOString(),
    updatedAt: (product) => product.updatedAt.toISOString(),
  },
  Category: {
    __resolveReference: (ref, ctx) => ctx.loaders.categoryById.load(ref.id),
    parent: (category, _, ctx) =>
      category.parentId ? ctx.loaders.categoryById.load(category.parentId) : null,
    children: (category, _, ctx) => ctx.loaders.categoriesByParentId.load(category.id),
  },
  Seller: {
    __resolveReference: (ref) => ({ id: ref.id }),
    products: (seller, args, ctx) => productQueries.sellerProducts(ctx, seller.id, args),
  },
};
