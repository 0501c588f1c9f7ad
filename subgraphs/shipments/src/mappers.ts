// Database rows that back GraphQL types; read by scripts/codegen.ts for typed resolvers.
import type { ShipmentEventRow } from './repositories/shipment-event.repository.ts';
import type { ShipmentRow } from './repositories/shipment.repository.ts';

export type ShipmentModel = ShipmentRow;
export type ShipmentEventModel = ShipmentEventRow;
/** Another subgraph's entity as shipments sees it: only its key. */
export interface EntityRefModel {
  id: string;
}
export type OrderModel = EntityRefModel;
export type SellerOrderModel = EntityRefModel;
export type SellerModel = EntityRefModel;

export const mappers = {
  Shipment: '../mappers.ts#ShipmentModel',
  ShipmentEvent: '../mappers.ts#ShipmentEventModel',
  Order: '../mappers.ts#OrderModel',
  SellerOrder: '../mappers.ts#SellerOrderModel',
  Seller: '../mappers.ts#SellerModel',
};
