import type { Resolvers } from '../generated/graphql.ts';
import * as shipmentQueries from '../services/shipment-query.service.ts';
import * as shipping from '../services/shipping.service.ts';
import * as tracking from '../services/tracking.service.ts';

export const resolvers: Resolvers = {
  Query: {
    shipment: (_, { id }, ctx) => shipmentQueries.findVisibleShipment(ctx, id),
  },
  Mutation: {
    shipShipment: (_, { shipmentId, input }, ctx) => shipping.shipShipment(ctx, shipmentId, input),
    recordTrackingEvent: (_, { shipmentId, input }, ctx) =>
      tracking.recordTrackingEvent(ctx, shipmentId, input),
  },
  Shipment: {
    // The same visibility rule as Query.shipment: the gateway's entity lookups get null when hidden.
    __resolveReference: (ref, ctx) => shipmentQueries.findVisibleShipment(ctx, ref.id),
    events: (shipment, _, ctx) => ctx.loaders.eventsByShipmentId.load(shipment.id),
    seller: (shipment) => ({ id: shipment.sellerId }),
    order: (shipment) => ({ id: shipment.orderId }),
    sellerOrder: (shipment) => ({ id: shipment.sellerOrderId }),
    createdAt: (shipment) => shipment.createdAt.toISOString(),
    updatedAt: (shipment) => shipment.updatedAt.toISOString(),
  },
  ShipmentEvent: {
    occurredAt: (event) => event.occurredAt.toISOString(),
  },
  Order: {
    __resolveReference: (ref) => ({ id: ref.id }),
    shipments: (order, _, ctx) => shipmentQueries.visibleShipmentsOfOrder(ctx, order.id),
  },
  SellerOrder: {
    __resolveReference: (ref) => ({ id: ref.id }),
    shipment: (sellerOrder, _, ctx) => shipmentQueries.visibleShipmentOfSellerOrder(ctx, sellerOrder.id),
  },
};
