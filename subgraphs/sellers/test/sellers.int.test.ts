import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@mp/events';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { sellersSubgraph } from '../src/subgraph.ts';

let sellers: TestSubgraph;
const published: EventEnvelope[] = [];

beforeAll(async () => {
  sellers = await startTestSubgraph(sellersSubgraph, inject('postgresAdminUrl'));
  sellers.bus.subscribe('test-observer', ['seller.created', 'seller.status_changed'], async (events) => {
    published.push(...events);
  });
});
afterAll(() => sellers?.stop());

const CREATE = `mutation($input: CreateSellerInput!) {
  createSeller(input: $input) { seller { id name status } userErrors { field message code } }
}`;
const SET_STATUS = `mutation($id: ID!, $status: SellerStatus!) {
  setSellerStatus(id: $id, status: $status) { seller { id status } userErrors { code } }
}`;

type CreateResult = {
  createSeller: {
    seller: { id: string; name: string; status: string } | null;
    userErrors: { field: string[] | null; code: string }[];
  };
};

async function waitFor<T>(check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i += 1) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out');
}

describe('sellers subgraph', () => {
  it('opens an ACTIVE shop for the caller and publishes seller.created', async () => {
    const owner = randomUUID();
    const result = await sellers.request<CreateResult>(
      CREATE,
      { input: { name: `Shop ${owner}` } },
      { as: { userId: owner } },
    );
    const seller = result.data!.createSeller.seller!;
    expect(seller.status).toBe('ACTIVE');
    const event = await waitFor(() => published.find((e) => e.aggregateId === seller.id));
    expect(event).toMatchObject({
      type: 'seller.created',
      data: { sellerId: seller.id, ownerId: owner, status: 'ACTIVE' },
    });

    const mine = await sellers.request<{ mySeller: { id: string } }>(
      '{ mySeller { id } }',
      {},
      { as: { userId: owner } },
    );
    expect(mine.data!.mySeller.id).toBe(seller.id);
  });

  it('allows one shop per user and unique names, as userErrors', async () => {
    const owner = randomUUID();
    const name = `Unique ${owner}`;
    await sellers.request(CREATE, { input: { name } }, { as: { userId: owner } });
    const second = await sellers.request<CreateResult>(
      CREATE,
      { input: { name: `${name} 2` } },
      { as: { userId: owner } },
    );
    expect(second.data!.createSeller.userErrors[0]!.code).toBe('ALREADY_EXISTS');
    const sameName = await sellers.request<CreateResult>(
      CREATE,
      { input: { name } },
      { as: { userId: randomUUID() } },
    );
    expect(sameName.data!.createSeller.userErrors[0]!.code).toBe('NAME_TAKEN');
  });

  it('rejects bad input with a userError and writes nothing', async () => {
    const owner = randomUUID();
    for (const input of [
      { name: 'x' },
      { name: 'y'.repeat(81) },
      { name: 'Fine name', description: 'z'.repeat(2001) },
    ]) {
      const result = await sellers.request<CreateResult>(CREATE, { input }, { as: { userId: owner } });
      expect(result.status).toBe(200);
      expect(result.data!.createSeller).toMatchObject({
        seller: null,
        userErrors: [{ code: 'INVALID_INPUT' }],
      });
    }
    const mine = await sellers.request<{ mySeller: null }>(
      '{ mySeller { id } }',
      {},
      { as: { userId: owner } },
    );
    expect(mine.data!.mySeller).toBeNull();
  });

  it('lets only admins change a shop’s status, and publishes the change', async () => {
    const owner = randomUUID();
    const created = await sellers.request<CreateResult>(
      CREATE,
      { input: { name: `Status ${owner}` } },
      { as: { userId: owner } },
    );
    const id = created.data!.createSeller.seller!.id;
    const asOwner = await sellers.request(
      SET_STATUS,
      { id, status: 'SUSPENDED' },
      { as: { userId: owner, scopes: ['buyer', 'seller'] } },
    );
    expect(asOwner.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    const anonymous = await sellers.request(SET_STATUS, { id, status: 'SUSPENDED' });
    expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const asAdmin = await sellers.request<{ setSellerStatus: { seller: { status: string } } }>(
      SET_STATUS,
      { id, status: 'SUSPENDED' },
      { as: { userId: randomUUID(), scopes: ['admin'] } },
    );
    expect(asAdmin.data!.setSellerStatus.seller.status).toBe('SUSPENDED');
    const event = await waitFor(() =>
      published.find((e) => e.aggregateId === id && e.type === 'seller.status_changed'),
    );
    expect(event.data).toMatchObject({ status: 'SUSPENDED', previousStatus: 'ACTIVE' });
  });

  it('resolves Product.seller and User.seller through _entities', async () => {
    const owner = randomUUID();
    const created = await sellers.request<CreateResult>(
      CREATE,
      { input: { name: `Entity ${owner}` } },
      { as: { userId: owner } },
    );
    const id = created.data!.createSeller.seller!.id;
    const result = await sellers.request<{ _entities: ({ seller: { id: string } | null } | null)[] }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { seller { id } } ... on User { seller { id } } } }`,
      {
        r: [
          { __typename: 'Product', id: 'p1', sellerId: id },
          { __typename: 'User', id: owner },
          { __typename: 'User', id: 'nobody' },
        ],
      },
    );
    expect(result.data!._entities).toEqual([{ seller: { id } }, { seller: { id } }, { seller: null }]);
  });

  it('refuses requests without the gateway credential or with a forged one', async () => {
    for (const credential of [false, 'forged.credential.value'] as const) {
      const result = await sellers.request(
        '{ _entities(representations: [{ __typename: "Seller", id: "x" }]) { __typename } }',
        {},
        { credential },
      );
      expect(result.status).toBe(403);
      expect(result.data ?? undefined).toBeUndefined();
    }
  });
});
