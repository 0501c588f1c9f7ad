import { toMoney } from '@mp/kit';
import type { Resolvers } from '../generated/graphql.ts';
import * as cartService from '../services/cart.service.ts';
import { checkout } from '../services/checkout.service.ts';
import type { Address } from '../services/checkout-input.ts';
import { visibleItems, visibleSellerOrders } from '../services/order-view.ts';
import * as orderService from '../services/order.service.ts';

const money = (minor: bigint, currencyCode: string) => toMoney(Number(minor), currencyCode);

export const resolvers: Resolvers = {
  Query: {
    cart: (_, __, ctx) => cartService.getCart(ctx),
    order: (_, { id }, ctx) => orderService.findOrder(ctx, id),
    sellerOrder: (_, { id }, ctx) => orderService.findSellerOrder(ctx, id),
  },
  Mutation: {
    addToCart: (_, { productId, quantity }, ctx) => cartService.addToCart(ctx, productId, quantity),
    updateCartItem: (_, { productId, quantity }, ctx) => cartService.updateCartItem(ctx, productId, quantity),
    checkout: (_, { input }, ctx) => checkout(ctx, input),
    cancelOrder: (_, { id }, ctx) => orderService.cancelByBuyer(ctx, id),
  },
  Cart: {
    items: (cart) => cart.lines,
    subtotal: (cart) =>
      money(
        cart.lines.reduce((sum, line) => sum + line.unitPriceMinor * BigInt(line.quantity), 0n),
        cart.currencyCode,
      ),
    itemCount: (cart) => cart.lines.reduce((sum, line) => sum + line.quantity, 0),
  },
  CartItem: {
    product: (line) => ({ id: line.productId }),
    unitPrice: (line) => money(line.unitPriceMinor, line.currencyCode),
    lineTotal: (line) => money(line.unitPriceMinor * BigInt(line.quantity), line.currencyCode),
  },
  Order: {
    __resolveReference: (ref, ctx) => orderService.orderReference(ctx, ref.id),
    id: ({ order }) => order.id,
    status: ({ order }) => order.status,
    cancelReason: ({ order }) => order.cancelReason,
    createdAt: ({ order }) => order.createdAt.toISOString(),
    updatedAt: ({ order }) => order.updatedAt.toISOString(),
    total: ({ order }) => money(order.totalMinor, order.currencyCode),
    buyer: ({ order }) => ({ id: order.buyerId }),
    items: async ({ order, scope }, _, ctx) =>
      visibleItems(scope, await ctx.loaders.itemsByOrderId.load(order.id)),
    sellerOrders: async ({ order, scope }, _, ctx) =>
      visibleSellerOrders(scope, await ctx.loaders.sellerOrdersByOrderId.load(order.id)).map(
        (sellerOrder) => ({
          sellerOrder,
          scope,
        }),
      ),
    shippingAddress: ({ order }) => order.shippingAddress as unknown as Address,
  },
  OrderItem: {
    product: (item) => ({ id: item.productId }),
    unitPrice: (item) => money(item.unitPriceMinor, item.currencyCode),
    lineTotal: (item) => money(item.unitPriceMinor * BigInt(item.quantity), item.currencyCode),
  },
  SellerOrder: {
    __resolveReference: (ref, ctx) => orderService.sellerOrderReference(ctx, ref.id),
    id: ({ sellerOrder }) => sellerOrder.id,
    status: ({ sellerOrder }) => sellerOrder.status,
    createdAt: ({ sellerOrder }) => sellerOrder.createdAt.toISOString(),
    subtotal: async ({ sellerOrder }, _, ctx) => {
      const order = await ctx.loaders.orderById.load(sellerOrder.orderId);
      return money(sellerOrder.subtotalMinor, order!.currencyCode);
    },
    order: async ({ sellerOrder, scope }, _, ctx) => ({
      order: (await ctx.loaders.orderById.load(sellerOrder.orderId))!,
      scope,
    }),
    items: async ({ sellerOrder }, _, ctx) =>
      (await ctx.loaders.itemsByOrderId.load(sellerOrder.orderId)).filter(
        (item) => item.sellerOrderId === sellerOrder.id,
      ),
    seller: ({ sellerOrder }) => ({ id: sellerOrder.sellerId }),
  },
  User: {
    orders: (user, args, ctx) => orderService.buyerOrders(ctx, user.id, args),
  },
  Seller: {
    orders: (seller, args, ctx) => orderService.shopOrders(ctx, seller.id, args),
  },
};
