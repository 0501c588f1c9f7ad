import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@mp/events';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDb, type UsersDb } from '../src/db.ts';
import { usersSubgraph } from '../src/subgraph.ts';
import { LOGIN, claimsOf, meWith, refresh, registerUser, waitFor, type AuthPayloadData } from './fixtures.ts';

let users: TestSubgraph;
let db: UsersDb;
const registered: EventEnvelope[] = [];

beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph, inject('postgresAdminUrl'), { seed: true });
  db = openDb(users.database.url);
  users.bus.subscribe('test-observer', ['user.registered'], async (events) => {
    registered.push(...events);
  });
});
afterAll(async () => {
  await db?.close();
  await users?.stop();
});

function sellerCreated(ownerId: string, sellerId = randomUUID()): EventEnvelope<'seller.created'> {
  return {
    id: randomUUID(),
    type: 'seller.created',
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: sellerId,
    data: { sellerId, ownerId, name: `Shop ${sellerId}`, status: 'ACTIVE' },
  };
}

describe('events', () => {
  it('publishes user.registered through the outbox relay after a registration', async () => {
    const { user } = await registerUser(users, { name: 'Evented' });
    const event = await waitFor(
      async () => registered.find((e) => e.aggregateId === user.id),
      'user.registered',
    );
    expect(event).toMatchObject({
      type: 'user.registered',
      version: 1,
      data: { userId: user.id, email: user.email, name: 'Evented' },
    });
  });

  it('makes a shop owner a SELLER on seller.created: the next refresh carries the seller scope and sellerId', async () => {
    const { user, accessToken, refreshToken } = await registerUser(users);
    const event = sellerCreated(user.id);
    await users.bus.publish([event]);

    const roles = await waitFor(async () => {
      const me = await meWith(users, accessToken);
      return me.data?.me?.roles.includes('SELLER') ? me.data.me.roles : undefined;
    }, 'the SELLER role');
    expect(roles).toEqual(['BUYER', 'SELLER']);

    // The old access token still says buyer only: claims change on refresh.
    expect(claimsOf(accessToken)).toMatchObject({ scp: ['buyer'] });
    const rotated = await refresh(users, refreshToken);
    expect(rotated.userErrors).toEqual([]);
    expect(claimsOf(rotated.accessToken!)).toMatchObject({
      sub: user.id,
      scp: ['buyer', 'seller'],
      sid: event.data.sellerId,
    });
  });

  it('applies a redelivered seller.created once (inbox), leaving one SELLER role', async () => {
    const { user } = await registerUser(users);
    const event = sellerCreated(user.id);
    await users.bus.publish([event, event]);
    await users.bus.publish([event]);
    await waitFor(
      async () =>
        (await db.prisma.inboxEvent.count({ where: { eventId: event.id } })) === 1 ? true : undefined,
      'the inbox row',
    );
    await new Promise((r) => setTimeout(r, 100));
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ roles: ['BUYER', 'SELLER'], sellerId: event.data.sellerId });
  });

  it('dead-letters a seller.created whose owner has no account, changing nobody', async () => {
    const event = sellerCreated(randomUUID());
    await users.bus.publish([event]);
    const dead = await waitFor(
      async () =>
        (await db.prisma.deadLetterEvent.findFirst({ where: { aggregateId: event.aggregateId } })) ??
        undefined,
      'the dead letter',
    );
    expect(dead).toMatchObject({ consumer: 'users', type: 'seller.created' });
    expect(dead.error).toContain(event.data.ownerId);
    expect(await db.prisma.user.count({ where: { sellerId: event.data.sellerId } })).toBe(0);
  });
});

describe('demo seed', () => {
  it('seeds the demo accounts with hashed passwords: the demo seller signs in with a seller token for their shop', async () => {
    const { demoUsers } = await import('@mp/prisma/seed');
    expect(await db.prisma.user.count({ where: { id: { in: demoUsers.map((u) => u.id) } } })).toBe(
      demoUsers.length,
    );
    const seller = demoUsers.find((u) => u.email === 'seller@demo.test')!;
    const result = await users.request<{ login: AuthPayloadData }>(LOGIN, {
      input: { email: seller.email, password: seller.password },
    });
    expect(result.data!.login.userErrors).toEqual([]);
    expect(claimsOf(result.data!.login.accessToken!)).toMatchObject({
      sub: seller.id,
      scp: ['buyer', 'seller'],
      sid: seller.sellerId,
    });
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: seller.id } });
    expect(row.passwordHash.startsWith('scrypt$')).toBe(true);
  });
});
