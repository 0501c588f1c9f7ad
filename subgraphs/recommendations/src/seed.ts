import type { Logger } from '@mp/kit';
import { demoSellers } from '@mp/prisma/seed';
import { openDb } from './db.ts';
import { demoPurchaseHistory } from './demo-history.ts';
import type { Env } from './env.ts';
import * as listings from './repositories/listing.repository.ts';
import * as purchases from './repositories/purchase.repository.ts';
import { countPaidOrder } from './services/purchase.service.ts';

/**
 * First start only (a database without counted orders): the demo shops as ACTIVE (sellers seeds them
 * without events, as orders and catalog assume too), and the demo purchase history (demo-history.ts),
 * counted through the same code as paid orders from events. The demo products arrive as catalog's
 * `product.created` events, like any product.
 */
export async function seedDemoData(env: Env, log: Logger): Promise<void> {
  const db = openDb(env.DATABASE_URL);
  try {
    if ((await purchases.countOrders(db.prisma)) > 0) return;
    const history = demoPurchaseHistory(new Date());
    await db.prisma.$transaction(
      async (tx) => {
        await listings.addActiveSellers(
          tx,
          demoSellers.map((s) => ({ sellerId: s.id, name: s.name })),
        );
        for (const order of history) await countPaidOrder(tx, order);
      },
      { timeout: 60_000 },
    );
    log.info({ orders: history.length }, 'seeded the demo purchase history');
  } finally {
    await db.close();
  }
}
