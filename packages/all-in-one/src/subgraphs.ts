import { catalogSubgraph } from '@mp/catalog';
import type { SubgraphDefinition } from '@mp/kit';
import { ordersSubgraph } from '@mp/orders';
import { paymentsSubgraph } from '@mp/payments';
import { recommendationsSubgraph } from '@mp/recommendations';
import { reviewsSubgraph } from '@mp/reviews';
import { sellersSubgraph } from '@mp/sellers';
import { shipmentsSubgraph } from '@mp/shipments';
import { usersSubgraph } from '@mp/users';

/** Every subgraph the all-in-one process hosts, each on its own port as in schema/subgraphs.ts. */
export const HOSTED_SUBGRAPHS: readonly { definition: SubgraphDefinition; port: number }[] = [
  { definition: usersSubgraph, port: 4001 },
  { definition: sellersSubgraph, port: 4002 },
  { definition: catalogSubgraph, port: 4003 },
  { definition: ordersSubgraph, port: 4004 },
  { definition: paymentsSubgraph, port: 4005 },
  { definition: shipmentsSubgraph, port: 4006 },
  { definition: reviewsSubgraph, port: 4007 },
  { definition: recommendationsSubgraph, port: 4008 },
];
