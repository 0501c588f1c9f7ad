import type { BaseContext, ContextPartsOf } from '@mp/kit';
import type { PrismaClient } from './generated/prisma/client.ts';
import { createLoaders, type Loaders } from './loaders.ts';
import type { PaymentMethodVerifier } from './services/payment-methods.ts';

export interface Context extends BaseContext {
  prisma: PrismaClient;
  loaders: Loaders;
  paymentMethods: PaymentMethodVerifier;
}

export type ContextParts = ContextPartsOf<Context>;

/** What this subgraph adds to the authenticated base context, fresh for every request. */
export function contextParts(prisma: PrismaClient, paymentMethods: PaymentMethodVerifier): ContextParts {
  return { prisma, paymentMethods, loaders: createLoaders(prisma) };
}
