import type { BaseContext, ContextPartsOf } from '@mp/kit';
import type { AccessTokenSigner } from './auth/access-token.ts';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';

/** What signing in needs, built once at start-up from the environment. */
export interface TokenConfig {
  signAccessToken: AccessTokenSigner;
  refreshTokenTtlDays: number;
}

export interface Context extends BaseContext {
  prisma: PrismaClient;
  loaders: Loaders;
  tokens: TokenConfig;
}

export type ContextParts = ContextPartsOf<Context>;

/** What this subgraph adds to the authenticated base context, fresh for every request. */
export function contextParts(prisma: PrismaClient, tokens: TokenConfig): ContextParts {
  return { prisma, loaders: createLoaders(prisma), tokens };
}
