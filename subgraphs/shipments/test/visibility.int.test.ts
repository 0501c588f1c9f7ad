import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb, type ShipmentsDb } from '../src/db.ts';
import { shipmentsSubgraph } from '../src/subgraph.ts';
import {
  adminIdentity,
  buyerIdentity,
  carrierIdentity,
  confirm,
  entitiesQuery,
  newOrder,
  shipAs,
  sellerIdentity,
  shipmentRowOf,
  type Caller,
  type TestOrder,
} from './fixtures.ts';

const SHIPMENT = `query ($id: ID!) {
  shipment(id: $id) {
    id status carrier trackingNumber
    events { status description location occurredAt }
    seller { id } order { id } sellerOrder { id }
    createdAt updatedAt
  }
}`;
const SHIPMENT_ENTITY = entitiesQuery('... on Shipment { id status }');
const ORDER_SHIPMENTS = entitiesQuery('... on Order { id shipments { id seller { id } } }');
const SELLER_ORDER_SHIPMENT = entitiesQuery(
  '... on SellerOrder { id shipment { id status carrier trackingNumber } }',
);

let subgraph: TestSubgraph;
let db: ShipmentsDb;
let order: TestOrder;
/** Shipment ids of the order's two seller orders, A and B. */
let shipmentA: string;
let shipmentB: string;

useTestSubgraph(shipmentsSubgraph, { open: openDb }, (started, opened) => {
  subgraph = started;
  db = opened;
});

beforeAll(async () => {
  order = newOrder(2);
  await confirm(subgraph, order);
  shipmentA = (await shipmentRowOf(db, order.sellerOrders[0]!.sellerOrderId)).id;
  shipmentB = (await shipmentRowOf(db, order.sellerOrders[1]!.sellerOrderId)).id;
  await shipAs(subgraph, order.sellerOrders[0]!.seller, shipmentA, { carrier: 'DHL', trackingNumber: 'A-1' });
});

/** Every kind of caller, and which of the order's shipments each may see. */
function callers(): [string, Caller | undefined, ('A' | 'B')[]][] {
  return [
    ['the order’s buyer', order.buyer, ['A', 'B']],
    ['seller A', order.sellerOrders[0]!.seller, ['A']],
    ['seller B', order.sellerOrders[1]!.seller, ['B']],
    ['a carrier', carrierIdentity(), ['A', 'B']],
    ['an admin', adminIdentity(), ['A', 'B']],
    ['another buyer', buyerIdentity(), []],
    ['a seller of another shop', sellerIdentity(), []],
    ['an anonymous caller', undefined, []],
  ];
}

const idOf = (key: 'A' | 'B') => (key === 'A' ? shipmentA : shipmentB);

async function ask<T>(query: string, variables: Record<string, unknown>, caller: Caller | undefined) {
  const response = await subgraph.request<T>(query, variables, caller ? { as: caller } : {});
  expect(response.errors).toBeUndefined();
  return response.data!;
}

describe('who sees a shipment', () => {
  it('shows the whole shipment, references included, to the order’s buyer', async () => {
    const { shipment } = await ask<{ shipment: Record<string, unknown> }>(
      SHIPMENT,
      { id: shipmentA },
      order.buyer,
    );
    expect(shipment).toEqual({
      id: shipmentA,
      status: 'LABEL_CREATED',
      carrier: 'DHL',
      trackingNumber: 'A-1',
      events: [
        {
          status: 'PENDING',
          description: expect.any(String),
          location: null,
          occurredAt: expect.any(String),
        },
        {
          status: 'LABEL_CREATED',
          description: 'Shipping label created: DHL, tracking number A-1',
          location: null,
          occurredAt: expect.any(String),
        },
      ],
      seller: { id: order.sellerOrders[0]!.seller.sellerId },
      order: { id: order.orderId },
      sellerOrder: { id: order.sellerOrders[0]!.sellerOrderId },
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
    });
  });

  it('answers Query.shipment and _entities alike for every kind of caller', async () => {
    for (const [who, caller, sees] of callers()) {
      for (const key of ['A', 'B'] as const) {
        const id = idOf(key);
        const expected = sees.includes(key) ? id : null;
        const viaQuery = await ask<{ shipment: { id: string } | null }>(SHIPMENT, { id }, caller);
        const viaEntities = await ask<{ _entities: ({ id: string } | null)[] }>(
          SHIPMENT_ENTITY,
          { representations: [{ __typename: 'Shipment', id }] },
          caller,
        );
        expect([who, key, viaQuery.shipment?.id ?? null]).toEqual([who, key, expected]);
        expect([who, key, viaEntities._entities[0]?.id ?? null]).toEqual([who, key, expected]);
      }
    }
  });

  it('lists in Order.shipments only the shipments the caller may see (a seller only its own)', async () => {
    for (const [who, caller, sees] of callers()) {
      const { _entities } = await ask<{
        _entities: { id: string; shipments: { id: string; seller: { id: string } }[] }[];
      }>(ORDER_SHIPMENTS, { representations: [{ __typename: 'Order', id: order.orderId }] }, caller);
      const listed = _entities[0]!.shipments.map((s) => s.id).sort();
      expect([who, listed]).toEqual([who, sees.map(idOf).sort()]);
    }
  });

  it('gives SellerOrder.shipment to those who may see it, and null to everyone else', async () => {
    const representations = order.sellerOrders.map((so) => ({
      __typename: 'SellerOrder',
      id: so.sellerOrderId,
    }));
    for (const [who, caller, sees] of callers()) {
      const { _entities } = await ask<{ _entities: { id: string; shipment: { id: string } | null }[] }>(
        SELLER_ORDER_SHIPMENT,
        { representations },
        caller,
      );
      expect([who, _entities.map((e) => e.shipment?.id ?? null)]).toEqual([
        who,
        (['A', 'B'] as const).map((key) => (sees.includes(key) ? idOf(key) : null)),
      ]);
    }
  });

  it('shows seller A its shipped parcel through SellerOrder.shipment, as the seller dashboard selects it', async () => {
    const { _entities } = await ask<{ _entities: { shipment: unknown }[] }>(
      SELLER_ORDER_SHIPMENT,
      { representations: [{ __typename: 'SellerOrder', id: order.sellerOrders[0]!.sellerOrderId }] },
      order.sellerOrders[0]!.seller,
    );
    expect(_entities[0]!.shipment).toEqual({
      id: shipmentA,
      status: 'LABEL_CREATED',
      carrier: 'DHL',
      trackingNumber: 'A-1',
    });
  });

  it('answers null, an empty list or no shipment for ids that do not exist', async () => {
    const admin = adminIdentity();
    expect((await ask<{ shipment: null }>(SHIPMENT, { id: 'no-such-shipment' }, admin)).shipment).toBeNull();
    const orders = await ask<{ _entities: { shipments: unknown[] }[] }>(
      ORDER_SHIPMENTS,
      { representations: [{ __typename: 'Order', id: 'no-such-order' }] },
      admin,
    );
    expect(orders._entities[0]!.shipments).toEqual([]);
    const sellerOrders = await ask<{ _entities: { shipment: unknown }[] }>(
      SELLER_ORDER_SHIPMENT,
      { representations: [{ __typename: 'SellerOrder', id: 'no-such-seller-order' }] },
      admin,
    );
    expect(sellerOrders._entities[0]!.shipment).toBeNull();
  });
});

describe('batching', () => {
  async function statementsSoFar(): Promise<number> {
    const metrics = await (await fetch(subgraph.running.url.replace(/\/graphql$/, '/metrics'))).text();
    const match = /^db_statements_total\{database="shipments"\} (\d+)$/m.exec(metrics);
    if (!match) throw new Error(`db_statements_total{database="shipments"} is missing from /metrics`);
    return Number(match[1]);
  }

  it('resolves the shipments and timelines of many orders with one statement each, whatever their number', async () => {
    const orders = Array.from({ length: 8 }, () => newOrder(2));
    for (const o of orders) await confirm(subgraph, o);
    const admin = adminIdentity();
    const query = entitiesQuery('... on Order { id shipments { id status events { status } } }');
    for (const count of [2, 8]) {
      const representations = orders.slice(0, count).map((o) => ({ __typename: 'Order', id: o.orderId }));
      const before = await statementsSoFar();
      const { _entities } = await ask<{ _entities: { shipments: { events: unknown[] }[] }[] }>(
        query,
        { representations },
        admin,
      );
      const statements = (await statementsSoFar()) - before;
      expect(_entities.flatMap((e) => e.shipments)).toHaveLength(count * 2);
      expect(_entities.flatMap((e) => e.shipments.flatMap((s) => s.events))).toHaveLength(count * 2);
      expect([count, statements]).toEqual([count, 2]);
    }
  });
});
