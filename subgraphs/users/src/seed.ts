import type { Logger } from '@mp/kit';
import { demoUsers } from '@mp/prisma/seed';
import { hashPassword } from './auth/password.ts';
import { openDb } from './db.ts';
import type { Env } from './env.ts';
import type { Role } from './generated/prisma/client.ts';
import * as users from './repositories/user.repository.ts';
import { normaliseEmail } from './services/user-input.ts';

/** Inserts the demo accounts (passwords hashed) into an empty users database; one with any user is left alone. */
export async function seedDemoData(env: Env, log: Logger): Promise<void> {
  const db = openDb(env.DATABASE_URL);
  try {
    if ((await users.count(db.prisma)) > 0) return;
    const rows = await Promise.all(
      demoUsers.map(async (u) => ({
        id: u.id,
        email: normaliseEmail(u.email),
        name: u.name,
        passwordHash: await hashPassword(u.password),
        roles: u.roles.map((role) => role.toUpperCase() as Role),
        sellerId: u.sellerId,
      })),
    );
    await users.createMany(db.prisma, rows);
    log.info({ users: rows.length }, 'seeded demo users');
  } finally {
    await db.close();
  }
}
