import { extendContext, type BaseContext } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { PaymentMethodVerifier } from './services/payment-methods.ts';

export interface Context extends BaseContext {
  prisma: PrismaClient;
  loaders: Loaders;
  paymentMethods: PaymentMethodVerifier;
}

export function createContext(
  base: BaseContext,
  prisma: PrismaClient,
  paymentMethods: PaymentMethodVerifier,
): Context {
  return extendContext(base, { prisma, paymentMethods, loaders: createLoaders(prisma) });
}
