import type { BaseContext } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';

export interface Context extends BaseContext {
  prisma: PrismaClient;
}

export function createContext(base: BaseContext, prisma: PrismaClient): Context {
  return { ...base, prisma };
}
