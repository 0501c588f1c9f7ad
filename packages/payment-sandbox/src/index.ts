export { startPaymentSandbox } from './server.ts';
export type { PaymentSandbox, PaymentSandboxOptions, SandboxRequest } from './server.ts';
export { TEST_CARDS } from './cards.ts';
export type { TestCard } from './cards.ts';
export type { Authorization, AuthorizationStatus } from './store.ts';
export { loadEnv } from './env.ts';
export type { SandboxEnv } from './env.ts';
