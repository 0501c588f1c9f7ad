import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The subgraphs composed into the supergraph, with the ports they listen on by default. */
export const SUBGRAPHS = [
  { name: 'users', port: 4001 },
  { name: 'sellers', port: 4002 },
  { name: 'catalog', port: 4003 },
  { name: 'orders', port: 4004 },
  { name: 'payments', port: 4005 },
  { name: 'shipments', port: 4006 },
  { name: 'reviews', port: 4007 },
  { name: 'recommendations', port: 4008 },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export function schemaPathOf(name: string): string {
  return path.join(root, 'subgraphs', name, 'schema.graphql');
}

/** The routing URL written into the supergraph; the gateway may override it per subgraph. */
export function defaultUrlOf(port: number): string {
  return `http://localhost:${port}/graphql`;
}
