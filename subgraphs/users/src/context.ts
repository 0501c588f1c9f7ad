import { extendContext, type BaseContext } from '@mp/kit';
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

export function createContext(base: BaseContext, prisma: PrismaClient, tokens: TokenConfig): Context {
  return extendContext(base, { prisma, loaders: createLoaders(prisma), tokens });
}
