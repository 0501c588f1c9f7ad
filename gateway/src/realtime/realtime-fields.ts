import type { Identity } from '@mp/auth';
import { GraphQLError } from 'graphql';
import type { RealtimeMessage } from './pubsub.ts';
import { orderChannel, sellerOrdersChannel, shipmentChannel } from './realtime-relay.ts';

/**
 * How the gateway serves one subscription field: the channel that says something changed, and the
 * query field that reads the payload (as the subscriber, through the federated executor).
 */
export interface RealtimeField {
  /** A `Query` field taking `id: ID!` and returning the subscription field's type. */
  queryField: string;
  /**
   * `state`: one object followed over time; the current state is sent first, then a payload per change
   * (one equal to the previous is skipped). `feed`: a stream of new items, one payload per item.
   */
  kind: 'state' | 'feed';
  /** The channel to listen on, or why this subscriber may not. */
  channel: (args: Readonly<Record<string, unknown>>, identity: Identity | null) => string | GraphQLError;
  /** The id the query field reads: from the arguments (state) or from the message (feed). */
  keyOf: (args: Readonly<Record<string, unknown>>, message: RealtimeMessage | null) => string | null;
}

const argument = (name: string) => (args: Readonly<Record<string, unknown>>) => String(args[name]);

export const REALTIME_FIELDS: Readonly<Record<string, RealtimeField>> = {
  orderStatusChanged: {
    queryField: 'order',
    kind: 'state',
    channel: (args) => orderChannel(argument('orderId')(args)),
    keyOf: argument('orderId'),
  },
  shipmentUpdated: {
    queryField: 'shipment',
    kind: 'state',
    channel: (args) => shipmentChannel(argument('shipmentId')(args)),
    keyOf: argument('shipmentId'),
  },
  sellerOrderPlaced: {
    queryField: 'sellerOrder',
    kind: 'feed',
    // Always the caller's own shop: the feed has no argument that could name another one.
    channel: (_, identity) => {
      if (!identity) {
        return new GraphQLError('sellerOrderPlaced needs a signed-in seller: connect with an access token', {
          extensions: { code: 'UNAUTHENTICATED' },
        });
      }
      if (!identity.sellerId || !identity.scopes.includes('seller')) {
        return new GraphQLError("sellerOrderPlaced is a shop owner's feed: your token carries no seller", {
          extensions: { code: 'FORBIDDEN' },
        });
      }
      return sellerOrdersChannel(identity.sellerId);
    },
    keyOf: (_, message) => message?.key ?? null,
  },
};
