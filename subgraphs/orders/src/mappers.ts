// Values behind GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { Edge } from '@mp/kit';
import type { OrderItemRow } from './repositories/order.repository.ts';
import type { CartLine, CartView } from './services/cart.service.ts';
import type { Address } from './services/checkout-input.ts';
import type { OrderView, SellerOrderView } from './services/order-view.ts';
import type { PagedConnection } from './services/order.service.ts';

export type CartModel = CartView;
export type CartItemModel = CartLine;
export type OrderModel = OrderView;
export type SellerOrderModel = SellerOrderView;
export type OrderItemModel = OrderItemRow;
export type AddressModel = Address;
export type OrderEdgeModel = Edge<OrderView>;
export type OrderConnectionModel = PagedConnection<OrderView>;
export type SellerOrderEdgeModel = Edge<SellerOrderView>;
export type SellerOrderConnectionModel = PagedConnection<SellerOrderView>;
/** Another subgraph's entity as orders sees it: only its key. */
export interface EntityRefModel {
  id: string;
}
export type ProductModel = EntityRefModel;
export type UserModel = EntityRefModel;
export type SellerModel = EntityRefModel;

export const mappers = {
  Cart: '../mappers.ts#CartModel',
  CartItem: '../mappers.ts#CartItemModel',
  Order: '../mappers.ts#OrderModel',
  SellerOrder: '../mappers.ts#SellerOrderModel',
  OrderItem: '../mappers.ts#OrderItemModel',
  Address: '../mappers.ts#AddressModel',
  OrderEdge: '../mappers.ts#OrderEdgeModel',
  OrderConnection: '../mappers.ts#OrderConnectionModel',
  SellerOrderEdge: '../mappers.ts#SellerOrderEdgeModel',
  SellerOrderConnection: '../mappers.ts#SellerOrderConnectionModel',
  Product: '../mappers.ts#ProductModel',
  User: '../mappers.ts#UserModel',
  Seller: '../mappers.ts#SellerModel',
};
