import { readFileSync } from 'node:fs';
import { contractOperation } from '@mp/testkit';
import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { composeSupergraph } from '../composition.ts';

/** Contract operations this release serves; later issues add theirs (cart, orders, realtime…). */
export const SERVED_OPERATIONS = [
  'Register',
  'Login',
  'RefreshSession',
  'Logout',
  'Me',
  'Categories',
  'Storefront',
  'ProductPage',
  'RecommendedForMe',
  'CreateSeller',
  'CreateProduct',
  'UpdateProduct',
  'SetStock',
  'Cart',
  'AddToCart',
  'UpdateCartItem',
  'Checkout',
  'OrderDetails',
  'MyOrders',
  'CancelOrder',
  'SellerDashboard',
  'ShipShipment',
  'RecordTrackingEvent',
  'AddReview',
  'PendingReviews',
  'ModerateReview',
  'OrderStatus',
  'ShipmentTracking',
  'SellerOrderFeed',
];

const committed = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');

describe('the supergraph', () => {
  const composed = composeSupergraph();

  it('composes without errors and matches the committed files', () => {
    expect(committed('supergraph.graphql')).toBe(composed.supergraphSdl);
    expect(committed('api.graphql')).toBe(composed.apiSdl);
  });

  it('validates every served contract operation against the client API schema', () => {
    const schema = buildSchema(composed.apiSdl);
    for (const name of SERVED_OPERATIONS) {
      const errors = validate(schema, parse(contractOperation(name)));
      expect(
        errors.map((e) => e.message),
        name,
      ).toEqual([]);
    }
  });

  it('exposes no federation internals to clients', () => {
    expect(composed.apiSdl).not.toMatch(/_entities|_service|join__|link__/);
  });
});
