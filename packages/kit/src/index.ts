export { enforceAccessDirectives } from './access-directives.ts';
export type { AccessContext } from './access-directives.ts';
export type { BaseContext, ContextParts, ContextPartsOf } from './context.ts';
export { parseEnv, portVar, subgraphEnvShape } from './env.ts';
export type { EnvSource, SubgraphEnv } from './env.ts';
export { badUserInput, forbidden, notFound, unauthenticated, userError } from './errors.ts';
export type { UserError } from './errors.ts';
export { createErrorFormatter } from './format-error.ts';
export { closeServer, createHttpServer, listen, sendJson } from './http-server.ts';
export { compositeKey, groupedLoader, keyedLoader } from './loaders.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { currencyExponent, parseAmount, toMoney } from './money.ts';
export type { Money, ParsedAmount } from './money.ts';
export { decodeCursor, encodeCursor, pageSize, toConnection } from './pagination.ts';
export type { Connection, Edge, PageInfo } from './pagination.ts';
export { createSubgraphServer, loadTypeDefs } from './subgraph-server.ts';
export type { GraphQLResolverMap, SubgraphServer, SubgraphServerOptions } from './subgraph-server.ts';
export { assembleSubgraph, runStandalone, startSubgraph } from './subgraph-runner.ts';
export type {
  RunningSubgraph,
  SubgraphDefinition,
  SubgraphInstance,
  SubgraphRuntime,
} from './subgraph-runner.ts';
