import { extendContext, type BaseContext } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';

export interface Context extends BaseContext {
  prisma: PrismaClient;
  loaders: Loaders;
}

export function createContext(base: BaseContext, prisma: PrismaClient): Context {
  return extendContext(base, { prisma, loaders: createLoaders(prisma, base.identity) });
}
