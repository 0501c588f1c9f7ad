// Shared by the catalog integration tests: demo identities, event envelopes and statement counts.
import { demoSellers, demoUsers } from '@mp/prisma/seed';
import type { GraphQLResponse, TestSubgraph } from '@mp/testkit';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

export function demoSeller(key: 'northwind' | 'atelier' | 'fieldhouse') {
  const name = {
    northwind: 'Northwind Electronics',
    atelier: 'Atelier Home & Style',
    fieldhouse: 'Fieldhouse Books & Sports',
  }[key];
  const seller = demoSellers.find((s) => s.name === name);
  if (!seller) throw new Error(`No demo seller ${key}`);
  return seller;
}

/** What the gateway would forward for the owner of a demo shop. */
export function sellerIdentity(key: 'northwind' | 'atelier' | 'fieldhouse') {
  const seller = demoSeller(key);
  return { userId: seller.ownerId, scopes: ['buyer' as const, 'seller' as const], sellerId: seller.id };
}

export const buyer = {
  userId: demoUsers.find((u) => u.email === 'buyer@demo.test')!.id,
  scopes: ['buyer' as const],
};

export { testEnvelope as envelope } from '@mp/testkit';

/** `db_statements_total{database="catalog"}` as the running subgraph reports it on GET /metrics. */
export async function statementsSoFar(subgraph: TestSubgraph): Promise<number> {
  const response = await fetch(subgraph.running.url.replace(/\/graphql$/, '/metrics'));
  const text = await response.text();
  const match = /^db_statements_total\{database="catalog"\} (\d+)$/m.exec(text);
  if (!match)
    throw new Error(`db_statements_total{database="catalog"} missing from /metrics:\n${text.slice(0, 500)}`);
  return Number(match[1]);
}

/** SQL statements the subgraph sent while `fn` ran (nothing else may use the subgraph meanwhile). */
export async function statementsDuring(subgraph: TestSubgraph, fn: () => Promise<unknown>): Promise<number> {
  const before = await statementsSoFar(subgraph);
  await fn();
  return (await statementsSoFar(subgraph)) - before;
}

export interface ProductNode {
  id: string;
  title: string;
  price: { amount: string; currencyCode: string };
  stock: number;
  inStock: boolean;
  sellerId: string;
  createdAt: string;
  category: { id: string; name: string };
}

export interface ProductsPage {
  products: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: ProductNode }[];
  };
}

export const PRODUCTS = /* GraphQL */ `
  query Products($first: Int, $after: String, $filter: ProductFilter, $sort: ProductSort) {
    products(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          title
          price {
            amount
            currencyCode
          }
          stock
          inStock
          sellerId
          createdAt
          category {
            id
            name
          }
        }
      }
    }
  }
`;

/** Follows `endCursor` until the last page; fails the test on any GraphQL error. */
export async function walkAllPages(
  subgraph: TestSubgraph,
  variables: { first: number; filter?: Record<string, unknown>; sort?: string },
): Promise<{ nodes: ProductNode[]; totalCount: number; pages: number }> {
  const nodes: ProductNode[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let pages = 1; pages <= 1000; pages += 1) {
    const response: GraphQLResponse<ProductsPage> = await subgraph.request<ProductsPage>(PRODUCTS, {
      ...variables,
      after,
    });
    if (response.errors || !response.data)
      throw new Error(`products failed: ${JSON.stringify(response.errors)}`);
    const products: ProductsPage['products'] = response.data.products;
    totalCount = products.totalCount;
    nodes.push(...products.edges.map((e) => e.node));
    if (!products.pageInfo.hasNextPage) return { nodes, totalCount, pages };
    after = products.pageInfo.endCursor;
  }
  throw new Error('more than 1000 pages: pagination never ends');
}
