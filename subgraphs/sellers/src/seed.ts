import type { Logger } from '@mp/kit';
import { demoSellers } from '@mp/prisma/seed';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import * as sellers from './repositories/seller.repository.ts';

/** Inserts the demo shops into an empty sellers database; a database with any shop is left alone. */
export async function seedDemoData(env: Env, log: Logger): Promise<void> {
  const db = openDb(env.DATABASE_URL);
  try {
    if ((await sellers.count(db.prisma)) > 0) return;
    await db.prisma.seller.createMany({
      data: demoSellers.map((s) => ({
        id: s.id,
        ownerId: s.ownerId,
        name: s.name,
        description: s.description,
        status: 'ACTIVE' as const,
      })),
    });
    log.info({ sellers: demoSellers.length }, 'seeded demo sellers');
  } finally {
    await db.close();
  }
}
