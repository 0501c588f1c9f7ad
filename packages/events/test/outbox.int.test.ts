import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import {
  createInProcessBus,
  enqueueEvent,
  EventValidationError,
  startConsumer,
  startOutboxRelay,
} from '../src/index.ts';
import { silentLog } from './fixtures.ts';
import { startTestDatabase, type TestDatabase } from './postgres.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await startTestDatabase(inject('postgresAdminUrl'), 'outbox');
}, 60_000);
afterAll(async () => {
  await db?.close();
});
beforeEach(async () => {
  await db.reset();
});

describe('enqueueEvent', () => {
  it('rejects an invalid payload in enqueueEvent and writes nothing, not even the state change', async () => {
    const attempt = db.transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO sellers (id, name) VALUES ('s-invalid', 'Shop')`;
      const payload = { sellerId: 's-invalid', name: 'Shop', status: 'OPEN' };
      // @ts-expect-error: 'OPEN' is not a seller status and ownerId is missing; the compiler says so too.
      await enqueueEvent(tx, 'seller.created', 's-invalid', payload);
    });
    await expect(attempt).rejects.toThrow(EventValidationError);
    await expect(attempt).rejects.toThrow(
      /Invalid "seller\.created" payload for aggregate s-invalid[\s\S]*ownerId[\s\S]*status/,
    );
    await expect(
      db.transaction((tx) => enqueueEvent(tx, 'user.registered', '', { userId: 'u', email: 'e', name: 'n' })),
    ).rejects.toThrow(/non-empty aggregateId/);
    expect(await db.count('outbox_events')).toBe(0);
    expect(await db.count('sellers')).toBe(0);
  });

  it('writes a valid event to the outbox only when the surrounding transaction commits', async () => {
    const rolledBack = db.transaction(async (tx) => {
      await enqueueEvent(tx, 'seller.created', 's-1', {
        sellerId: 's-1',
        ownerId: 'u-1',
        name: 'Shop',
        status: 'ACTIVE',
      });
      throw new Error('the state change failed after the event was enqueued');
    });
    await expect(rolledBack).rejects.toThrow(/state change failed/);
    const committed = await db.transaction((tx) =>
      enqueueEvent(tx, 'seller.created', 's-2', {
        sellerId: 's-2',
        ownerId: 'u-2',
        name: 'Shop 2',
        status: 'PENDING',
      }),
    );
    const { rows } = await db.pool.query(
      'SELECT id, type, version, aggregate_id, data, occurred_at, published_at FROM outbox_events',
    );
    expect(rows).toEqual([
      {
        id: committed.id,
        type: 'seller.created',
        version: 1,
        aggregate_id: 's-2',
        data: { sellerId: 's-2', ownerId: 'u-2', name: 'Shop 2', status: 'PENDING' },
        occurred_at: new Date(committed.occurredAt),
        published_at: null,
      },
    ]);
  });
});

describe('retention', () => {
  it('prunes published outbox rows and processed inbox rows past their retention, and nothing else', async () => {
    await db.pool.query(`
      INSERT INTO outbox_events (id, type, version, aggregate_id, data, occurred_at, published_at) VALUES
        (gen_random_uuid(), 'seller.created', 1, 'old-sent', '{}', now() - interval '9 days', now() - interval '8 days'),
        (gen_random_uuid(), 'seller.created', 1, 'old-unsent', '{}', now() - interval '9 days', NULL),
        (gen_random_uuid(), 'seller.created', 1, 'new-sent', '{}', now(), now());
      INSERT INTO inbox_events (event_id, consumer, type, processed_at) VALUES
        (gen_random_uuid(), 'mine', 'user.registered', now() - interval '31 days'),
        (gen_random_uuid(), 'mine', 'user.registered', now()),
        (gen_random_uuid(), 'other', 'user.registered', now() - interval '31 days');`);
    const bus = createInProcessBus({ log: silentLog });
    const relay = startOutboxRelay({ pool: db.pool, bus, source: 'test', log: silentLog });
    // The relay publishes 'old-unsent' meanwhile; no group wants seller.created, so it adds no inbox row.
    const consumer = startConsumer(bus, {
      group: 'mine',
      types: ['user.registered'],
      transaction: db.transaction,
      handle: async () => undefined,
      log: silentLog,
    });
    try {
      expect(await relay.prune()).toBe(1);
      await consumer.prune();
    } finally {
      await relay.stop();
      await consumer.stop();
      await bus.close();
    }
    const { rows } = await db.pool.query<{ aggregate_id: string }>(
      'SELECT aggregate_id FROM outbox_events ORDER BY aggregate_id',
    );
    expect(rows.map((r) => r.aggregate_id)).toEqual(['new-sent', 'old-unsent']);
    const { rows: inbox } = await db.pool.query<{ consumer: string; old: boolean }>(
      "SELECT consumer, processed_at < now() - interval '1 day' AS old FROM inbox_events ORDER BY consumer, old",
    );
    expect(inbox).toEqual([
      { consumer: 'mine', old: false },
      { consumer: 'other', old: true },
    ]);
  });
});

describe('relay shutdown', () => {
  it('stops promptly while an in-process consumer is stuck, and keeps the row unsent', async () => {
    const bus = createInProcessBus({ log: silentLog });
    let release = (): void => undefined;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const consumer = startConsumer(bus, {
      group: 'stuck',
      types: ['user.registered'],
      transaction: db.transaction,
      handle: () => stuck,
      log: silentLog,
    });
    await db.transaction((tx) =>
      enqueueEvent(tx, 'user.registered', 'u-stuck', { userId: 'u-stuck', email: 'u@x.test', name: 'U' }),
    );
    const relay = startOutboxRelay({ pool: db.pool, bus, source: 'test', log: silentLog });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the publish is now waiting on the handler
    const started = Date.now();
    await relay.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await db.count('outbox_events WHERE published_at IS NULL')).toBe(1);
    release();
    await consumer.stop();
    await bus.close();
  });

  it('publishes an event as soon as its transaction commits, without waiting for a poll', async () => {
    const bus = createInProcessBus({ log: silentLog });
    const seen: number[] = [];
    const subscription = bus.subscribe('prompt', ['user.registered'], async (events) => {
      seen.push(...events.map(() => Date.now()));
    });
    await subscription.ready;
    // A poll a minute away: only the LISTEN/NOTIFY wake-up can deliver within the test.
    const relay = startOutboxRelay({
      pool: db.pool,
      bus,
      source: 'test',
      log: silentLog,
      pollIntervalMs: 60_000,
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the first (empty) poll is done; listening
    const committedAt = Date.now();
    await db.transaction((tx) =>
      enqueueEvent(tx, 'user.registered', 'u-prompt', { userId: 'u-prompt', email: 'p@x.test', name: 'P' }),
    );
    await vi.waitFor(() => expect(seen).toHaveLength(1), { timeout: 3_000, interval: 5 });
    expect(seen[0]! - committedAt).toBeLessThan(500);
    await relay.stop();
    await subscription.unsubscribe();
    await bus.close();
  });
});
