import { startTestSubgraph } from '@mp/testkit';
import { catalogSubgraph } from './src/subgraph.ts';
const t = await startTestSubgraph(catalogSubgraph, 'postgresql://postgres:postgres@127.0.0.1:55491/postgres', { seed: true, env: { LOG_LEVEL: 'warn' } });
const q = async (query: string, variables?: Record<string, unknown>, opts?: Parameters<typeof t.request>[2]) =>
  console.log(JSON.stringify(await t.request(query, variables, opts), null, 1).slice(0, 3000));
try {
  await q(`{ categories { id name parent { id name } children { name } } }`);
  await q(`query($f: ProductFilter, $s: ProductSort, $a: String) { products(first: 3, filter: $f, sort: $s, after: $a) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id title price { amount currencyCode } stock inStock images attributes { name value } category { name } sellerId createdAt } } } }`, { f: { search: 'cast iron' } });
  await q(`query($f: ProductFilter, $s: ProductSort) { products(first: 3, filter: $f, sort: $s) { totalCount edges { node { title price { amount } } } } }`, { f: { minPrice: '100', maxPrice: '300' }, s: 'PRICE_DESC' });
  await q(`query($s: ProductSort) { products(first: 3, sort: $s) { totalCount pageInfo { endCursor } edges { cursor node { title } } } }`, { s: 'RATING' });
  await q(`{ _entities(representations: [{__typename: "Seller", id: "x"}]) { ... on Seller { products(first: 2) { totalCount edges { node { title } } } } } }`);
} finally {
  await t.stop();
}
