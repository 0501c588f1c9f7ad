import type { Logger } from '@mp/kit';
import { demoSellers } from '@mp/prisma/seed';
import { openDb } from './db.ts';
import type { Env } from './env.ts';

/**
 * The demo shops are seeded by sellers without events (their seed predates any consumer), so orders
 * records them as ACTIVE here, as catalog does. Demo products arrive as catalog's product.created events.
 */
export async function seedDemoData(env: Env, log: Logger): Promise<void> {
  const db = openDb(env.DATABASE_URL);
  try {
    if ((await db.prisma.sellerState.count()) > 0) return;
    await db.prisma.sellerState.createMany({
      data: demoSellers.map((s) => ({ sellerId: s.id, status: 'ACTIVE' as const })),
      skipDuplicates: true,
    });
    log.info({ sellers: demoSellers.length }, 'seeded demo shop statuses');
  } finally {
    await db.close();
  }
}
