import type { EventData } from '@mp/events';
import type { Prisma } from '../generated/prisma/client.ts';
import * as sellerStates from '../repositories/seller-state.repository.ts';

/**
 * `seller.created` / `seller.status_changed` → `seller_states` (which shops are ACTIVE). Both events
 * carry the shop's full current status, so each one simply overwrites the row: a missed
 * `seller.created` is repaired by the next status change.
 */
export async function handleSellerState(
  tx: Prisma.TransactionClient,
  data: EventData<'seller.created'> | EventData<'seller.status_changed'>,
): Promise<void> {
  const { sellerId, ownerId, status } = data;
  await sellerStates.upsert(tx, { sellerId, ownerId, status });
}
