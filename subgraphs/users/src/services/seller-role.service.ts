import type { EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import * as users from '../repositories/user.repository.ts';

/**
 * A shop was opened: its owner gets the SELLER role and the shop's id, which their next access token
 * (after `refreshSession`) carries. Runs inside the consumer's inbox transaction, so it applies once.
 */
export async function grantSellerRole(
  tx: Prisma.TransactionClient,
  event: EventData<'seller.created'>,
): Promise<void> {
  const { ownerId, sellerId } = event;
  const user = await users.lockById(tx, ownerId);
  // Thrown, not skipped: the consumer retries and then dead-letters it, where someone will look.
  if (!user)
    throw new Error(`seller.created for shop "${sellerId}" names owner "${ownerId}", who has no account`);
  if (user.sellerId !== null && user.sellerId !== sellerId) {
    throw new Error(
      `User "${ownerId}" already owns shop "${user.sellerId}"; refusing to bind shop "${sellerId}" too`,
    );
  }
  const roles = user.roles.includes('SELLER') ? user.roles : [...user.roles, 'SELLER' as const];
  if (user.sellerId === sellerId && roles === user.roles) return;
  await users.updateRolesAndSeller(tx, ownerId, { roles, sellerId });
}
