export { enforceAccessDirectives, checkAccess } from './access-directives.ts';
export type { AccessContext } from './access-directives.ts';
export { authenticateRequest } from './context.ts';
export type { BaseContext } from './context.ts';
export { EnvError, parseEnv, portVar, subgraphEnvShape } from './env.ts';
export type { EnvSource, SubgraphEnv } from './env.ts';
export { badUserInput, forbidden, notFound, unauthenticated, userError } from './errors.ts';
export type { UserError } from './errors.ts';
export { createErrorFormatter } from './format-error.ts';
export { closeServer, createHttpServer, listen, sendJson } from './http-server.ts';
export { compositeKey, groupedLoader, keyedLoader } from './loaders.ts';
export { createLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export { currencyExponent, isSupportedCurrency, parseAmount, toMoney } from './money.ts';
export type { Money, ParsedAmount } from './money.ts';
export { MAX_PAGE_SIZE, decodeCursor, encodeCursor, pageSize, toConnection } from './pagination.ts';
export type { Connection, Edge, PageInfo } from './pagination.ts';
export { createSubgraphServer } from './subgraph-server.ts';
export type { GraphQLResolverMap, SubgraphServer, SubgraphServerOptions } from './subgraph-server.ts';
export { runStandalone, startSubgraph } from './subgraph-runner.ts';
export type {
  RunningSubgraph,
  SubgraphDefinition,
  SubgraphInstance,
  SubgraphRuntime,
} from './subgraph-runner.ts';
