import { catalogSubgraph } from '@mp/catalog';
import type { SubgraphDefinition } from '@mp/kit';
import { reviewsSubgraph } from '@mp/reviews';
import { sellersSubgraph } from '@mp/sellers';
import { usersSubgraph } from '@mp/users';

/** Every subgraph the all-in-one process hosts, each on its own port as in schema/subgraphs.ts. */
export const HOSTED_SUBGRAPHS: readonly { definition: SubgraphDefinition; port: number }[] = [
  { definition: usersSubgraph, port: 4001 },
  { definition: sellersSubgraph, port: 4002 },
  { definition: catalogSubgraph, port: 4003 },
  { definition: reviewsSubgraph, port: 4007 },
];
