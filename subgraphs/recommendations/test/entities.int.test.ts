import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import {
  RECOMMENDED,
  alsoBoughtOf,
  buyer,
  entitiesQuery,
  marketOf,
  newId,
  openFixtures,
} from './fixtures.ts';

let subgraph: TestSubgraph;
const products: string[] = [];
const me = buyer();

useTestSubgraph(recommendationsSubgraph, { open: openFixtures }, (started) => {
  subgraph = started;
});

beforeAll(async () => {
  const market = marketOf(subgraph);
  const shops = [await market.shop(), await market.shop()];
  for (let i = 0; i < 60; i += 1) products.push(await market.product(shops[i % 2]!));
  // Each product bought with its two successors, so every product has neighbours.
  for (let i = 0; i < 60; i += 1)
    await market.pay(newId('user'), [products[i]!, products[(i + 1) % 60]!, products[(i + 2) % 60]!]);
  await market.pay(me.userId, [products[0]!]);
});

async function statementCount(): Promise<number> {
  const metrics = await (await fetch(subgraph.running.url.replace(/\/graphql$/, '/metrics'))).text();
  const match = /^db_statements_total\{database="recommendations"\} (\d+)$/m.exec(metrics);
  if (!match) throw new Error(`db_statements_total{database="recommendations"} is missing from /metrics`);
  return Number(match[1]);
}

async function statementsFor<T>(request: () => Promise<T>): Promise<{ statements: number; result: T }> {
  const before = await statementCount();
  const result = await request();
  return { statements: (await statementCount()) - before, result };
}

describe('Product entities (_entities)', () => {
  it('resolves a Product reference by its id, whatever recommendations knows of it', async () => {
    const unknown = newId('product');
    const response = await subgraph.request<{ _entities: { id: string }[] }>(
      entitiesQuery('... on Product { id }'),
      {
        representations: [
          { __typename: 'Product', id: products[0] },
          { __typename: 'Product', id: unknown },
        ],
      },
    );
    expect(response.data?._entities).toEqual([{ id: products[0] }, { id: unknown }]);
  });

  it('answers alsoBought for 50 products with as many SQL statements as for 10', async () => {
    await alsoBoughtOf(subgraph, products.slice(0, 1)); // pool connections open outside the measurement
    const ten = await statementsFor(() => alsoBoughtOf(subgraph, products.slice(0, 10)));
    const fifty = await statementsFor(() => alsoBoughtOf(subgraph, products.slice(0, 50)));
    // Neighbours of all products, shop mates of all products.
    expect(ten.statements).toBe(2);
    expect(fifty.statements).toBe(ten.statements);
    // Product i went with i ± 1 (two buyers each) and i ± 2 (one buyer each).
    const at = (i: number) => products[(i + 60) % 60];
    fifty.result.forEach((list, i) => {
      expect(new Set(list.slice(0, 2))).toEqual(new Set([at(i - 1), at(i + 1)]));
      expect(new Set(list.slice(2))).toEqual(new Set([at(i - 2), at(i + 2)]));
    });
  });

  it('reads a product asked for with two sizes (aliases) once', async () => {
    const query = entitiesQuery(
      '... on Product { few: alsoBought(first: 1) { id } many: alsoBought(first: 6) { id } }',
    );
    const { statements, result } = await statementsFor(() =>
      subgraph.request<{ _entities: { few: { id: string }[]; many: { id: string }[] }[] }>(query, {
        representations: [{ __typename: 'Product', id: products[5] }],
      }),
    );
    expect(statements).toBe(2);
    const [entity] = result.data!._entities;
    expect(entity!.few).toHaveLength(1);
    expect(entity!.many).toHaveLength(6);
    expect(entity!.many[0]).toEqual(entity!.few[0]);
  });
});

describe('recommendedProducts', () => {
  it('serves guests from the cached base feed, and a buyer with two statements', async () => {
    await subgraph.request(RECOMMENDED, { first: 10 });
    const guest = await statementsFor(() => subgraph.request(RECOMMENDED, { first: 10 }));
    expect(guest.statements).toBe(0);
    const personal = await statementsFor(() => subgraph.request(RECOMMENDED, { first: 10 }, { as: me }));
    expect(personal.statements).toBe(2);
  });
});

describe('access from outside the gateway', () => {
  it('refuses a request without the gateway credential', async () => {
    const response = await subgraph.request(RECOMMENDED, { first: 3 }, { credential: false });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a forged access token as UNAUTHENTICATED rather than answering as a guest', async () => {
    const response = await subgraph.request(
      RECOMMENDED,
      { first: 3 },
      { authorization: 'Bearer not.a.token' },
    );
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
