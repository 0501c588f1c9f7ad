// A shop's status lives in the sellers subgraph; catalog hides a shop's products from its own projection,
// fed by `seller.status_changed` through sellers' outbox and the event bus. Through the gateway, the
// suspension (and the reactivation) must reach buyers within 2 s, on either event transport.
import { contractOperation, type GatewayClient } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { DEMO, login } from './helpers.ts';
import { useTestSystem } from './system.ts';

let client: GatewayClient;

const PROPAGATION_LIMIT_MS = 2_000;
// Polling continues past the limit so a slow propagation fails with its measured time, not a timeout.
const POLL_DEADLINE_MS = 10_000;

const SET_STATUS = `mutation($id: ID!, $status: SellerStatus!) {
  setSellerStatus(id: $id, status: $status) { seller { id status } userErrors { code message } }
}`;
const LISTED = `query($sellerId: ID!) {
  products(first: 100, filter: { sellerId: $sellerId }) { totalCount edges { node { id sellerId } } }
}`;
const PRODUCT = `query($id: ID!) { product(id: $id) { id } }`;
const SELLER = `query($id: ID!) { seller(id: $id) { id status } }`;

interface Listed {
  products: { totalCount: number; edges: { node: { id: string; sellerId: string } }[] };
}
interface SetStatus {
  setSellerStatus: {
    seller: { id: string; status: string } | null;
    userErrors: { code: string; message: string }[];
  };
}

/** The shop owned by a demo seller account. */
async function shopOf(account: { email: string; password: string }): Promise<string> {
  const session = await login(client, account);
  const { me } = await client.data<{ me: { seller: { id: string } | null } }>(
    contractOperation('Me'),
    {},
    session.accessToken,
  );
  if (!me.seller) throw new Error(`${account.email} owns no shop`);
  return me.seller.id;
}

/** What an anonymous buyer sees of the shop's products. */
async function listedFor(sellerId: string): Promise<Listed['products']> {
  return (await client.data<Listed>(LISTED, { sellerId })).products;
}

/** Polls the listing until `done` holds; returns the ms from `since` to the first poll where it held. */
async function msUntil(
  sellerId: string,
  since: number,
  done: (listed: Listed['products']) => boolean,
): Promise<number> {
  for (;;) {
    const listed = await listedFor(sellerId);
    const elapsed = performance.now() - since;
    if (done(listed)) return elapsed;
    if (elapsed > POLL_DEADLINE_MS)
      throw new Error(`still ${listed.totalCount} product(s) listed after ${Math.round(elapsed)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Sets the status as the admin; returns when the mutation's response arrived (performance.now()). */
async function setStatusAsAdmin(sellerId: string, status: 'ACTIVE' | 'SUSPENDED'): Promise<number> {
  const admin = await login(client, DEMO.admin);
  const { setSellerStatus } = await client.data<SetStatus>(
    SET_STATUS,
    { id: sellerId, status },
    admin.accessToken,
  );
  const answeredAt = performance.now();
  expect(setSellerStatus).toEqual({ seller: { id: sellerId, status }, userErrors: [] });
  return answeredAt;
}

describe.each(['in-process', 'kafka'] as const)(
  'seller suspension through the gateway (%s events)',
  (transport) => {
    useTestSystem(
      (_, c) => {
        client = c;
      },
      { transport },
    );

    it('hides a suspended shop’s products from buyers within 2 s, and shows them again within 2 s of reactivation', async () => {
      const sellerId = await shopOf(DEMO.seller2);
      const before = await listedFor(sellerId);
      expect(before.totalCount).toBeGreaterThan(0);
      expect(before.edges.every((e) => e.node.sellerId === sellerId)).toBe(true);
      const oneOfItsProducts = before.edges[0]!.node.id;

      const suspendedAt = await setStatusAsAdmin(sellerId, 'SUSPENDED');
      const hiddenAfter = await msUntil(sellerId, suspendedAt, (listed) => listed.totalCount === 0);
      expect(hiddenAfter, `products hidden ${Math.round(hiddenAfter)} ms after the suspension`).toBeLessThan(
        PROPAGATION_LIMIT_MS,
      );
      const byId = await client.data<{ product: { id: string } | null }>(PRODUCT, { id: oneOfItsProducts });
      expect(byId.product).toBeNull();
      const { seller } = await client.data<{ seller: { status: string } }>(SELLER, { id: sellerId });
      expect(seller.status).toBe('SUSPENDED');

      const reactivatedAt = await setStatusAsAdmin(sellerId, 'ACTIVE');
      const shownAfter = await msUntil(
        sellerId,
        reactivatedAt,
        (listed) => listed.totalCount === before.totalCount,
      );
      expect(shownAfter, `products back ${Math.round(shownAfter)} ms after the reactivation`).toBeLessThan(
        PROPAGATION_LIMIT_MS,
      );
      expect((await listedFor(sellerId)).edges.map((e) => e.node.id).sort()).toEqual(
        before.edges.map((e) => e.node.id).sort(),
      );
      const again = await client.data<{ product: { id: string } | null }>(PRODUCT, { id: oneOfItsProducts });
      expect(again.product?.id).toBe(oneOfItsProducts);
    });

    it('refuses setSellerStatus from a buyer with FORBIDDEN, and the shop stays ACTIVE and listed', async () => {
      const sellerId = await shopOf(DEMO.seller);
      const before = await listedFor(sellerId);
      expect(before.totalCount).toBeGreaterThan(0);
      const buyer = await login(client, DEMO.buyer);

      const response = await client.request<SetStatus>(
        SET_STATUS,
        { id: sellerId, status: 'SUSPENDED' },
        buyer.accessToken,
      );
      expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(response.data?.setSellerStatus ?? null).toBeNull();
      const anonymous = await client.request<SetStatus>(SET_STATUS, { id: sellerId, status: 'SUSPENDED' });
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

      const { seller } = await client.data<{ seller: { status: string } }>(SELLER, { id: sellerId });
      expect(seller.status).toBe('ACTIVE');
      // A suspension that did go through would hide the products within milliseconds (see above).
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await listedFor(sellerId)).totalCount).toBe(before.totalCount);
    });
  },
);
