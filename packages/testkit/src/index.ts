export { createTestAuth } from './auth.ts';
export type { TestAuth } from './auth.ts';
export { createTestDatabase } from './database.ts';
export type { TestDatabase } from './database.ts';
export { startTestSubgraph } from './subgraph.ts';
export type { GraphQLResponse, RequestOptions, TestSubgraph } from './subgraph.ts';
export { CONTRACT_DIR, contractOperation, contractOperations } from './contract.ts';
export { gatewayClient } from './gateway-client.ts';
export type { GatewayClient } from './gateway-client.ts';
