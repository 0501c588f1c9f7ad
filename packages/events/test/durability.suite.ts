import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import {
  enqueueEvent,
  startConsumer,
  startOutboxRelay,
  type Consumer,
  type EventBus,
  type EventEnvelope,
  type OutboxRelay,
} from '../src/index.ts';
import { gate, silentLog, statusChanged } from './fixtures.ts';
import { startTestDatabase, type TestDatabase } from './postgres.ts';
import { busFor, type TransportTarget } from './transports.ts';

/** What the suite needs from a transport besides a bus: a fresh target per test and a way to lose the broker. */
export interface DurabilityHarness {
  name: TransportTarget['transport'];
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  /** Where this test's buses (and worker processes) connect; state not shared with other tests. */
  target: () => TransportTarget;
  /** Makes the broker unreachable for `bus` (Kafka: the brokers stop answering). */
  brokerDown: (bus: InstrumentedBus) => Promise<void>;
  brokerUp: (bus: InstrumentedBus) => Promise<void>;
}

/** A transport wrapper that counts what it was asked to publish and what failed, and can fail on demand. */
export interface InstrumentedBus {
  bus: EventBus;
  state: {
    published: Map<string, number>;
    mode: 'ok' | 'fail' | 'lose-ack-once';
    failures: number;
  };
}

const WAIT = { timeout: 60_000, interval: 50 };
const WORKER = fileURLToPath(new URL('./consumer-worker.ts', import.meta.url));

/**
 * The guarantees of outbox + relay + transport + consumer together, against a real PostgreSQL, run
 * once per transport: exactly-once effects in per-aggregate order, survival of a killed consumer
 * process, of an unreachable broker, and of poison events.
 */
export function describeDurability(harness: DurabilityHarness): void {
  describe(`durability on the ${harness.name} transport`, () => {
    let db: TestDatabase;
    let target: TransportTarget;
    let bus: EventBus;
    const running = {
      relays: [] as OutboxRelay[],
      consumers: [] as Consumer[],
      buses: [] as EventBus[],
      workers: [] as ChildProcess[],
    };

    beforeAll(async () => {
      await harness.setup?.();
      db = await startTestDatabase(inject('postgresAdminUrl'), harness.name);
    }, 60_000);
    afterAll(async () => {
      await db?.close();
      await harness.teardown?.();
    });
    beforeEach(async () => {
      await db.reset();
      target = harness.target();
      bus = newBus();
    });
    afterEach(async () => {
      for (const worker of running.workers.splice(0)) worker.kill('SIGKILL');
      // Shutdown order of a real process: relays, consumers, then the bus.
      await Promise.all(running.relays.splice(0).map((r) => r.stop()));
      await Promise.all(running.consumers.splice(0).map((c) => c.stop()));
      await Promise.all(running.buses.splice(0).map((b) => b.close()));
    }, 60_000);

    function newBus(): EventBus {
      const created = busFor(target);
      running.buses.push(created);
      return created;
    }

    function relay(
      options: { bus?: EventBus; pollIntervalMs?: number; batchSize?: number } = {},
    ): OutboxRelay {
      const started = startOutboxRelay({ pool: db.pool, bus, source: 'test', log: silentLog, ...options });
      running.relays.push(started);
      return started;
    }

    /** A consumer whose effect is one `effects` row per applied event; `onEvent` may throw. */
    async function projector(
      options: {
        maxAttempts?: number;
        transactionPerEvent?: boolean;
        onEvent?: (event: EventEnvelope) => Promise<void> | void;
        onTransaction?: () => void;
      } = {},
    ): Promise<Consumer> {
      const consumer = startConsumer(bus, {
        group: 'projector',
        types: ['seller.status_changed', 'seller.created'],
        transaction: (fn) => {
          options.onTransaction?.();
          return db.transaction(fn);
        },
        maxAttempts: options.maxAttempts,
        transactionPerEvent: options.transactionPerEvent,
        log: silentLog,
        handle: async (event, tx) => {
          await tx.$executeRaw`INSERT INTO effects (consumer, event_id, aggregate_id) VALUES ('projector', ${event.id}, ${event.aggregateId})`;
          await options.onEvent?.(event);
        },
      });
      running.consumers.push(consumer);
      await consumer.ready;
      return consumer;
    }

    /** Enqueues status changes n … n+count-1 of `sellerId` in one transaction, as a producing service would. */
    async function produce(sellerId: string, n: number, count = 1): Promise<string[]> {
      return db.transaction(async (tx) => {
        const ids: string[] = [];
        for (let i = n; i < n + count; i += 1) {
          ids.push(
            (await enqueueEvent(tx, 'seller.status_changed', sellerId, statusChanged(sellerId, i).data)).id,
          );
        }
        return ids;
      });
    }

    /** `aggregates × perAggregate` events, produced concurrently across aggregates, in order within each. */
    async function produceMany(
      aggregates: number,
      perAggregate: number,
      perTx = 10,
    ): Promise<Map<string, string[]>> {
      const expected = new Map<string, string[]>();
      await Promise.all(
        Array.from({ length: aggregates }, async (_, a) => {
          const seller = `seller-${a}`;
          const ids: string[] = [];
          expected.set(seller, ids);
          for (let n = 0; n < perAggregate; n += perTx) {
            ids.push(...(await produce(seller, n, Math.min(perTx, perAggregate - n))));
          }
        }),
      );
      return expected;
    }

    async function appliedIdsByAggregate(): Promise<Map<string, string[]>> {
      const { rows } = await db.pool.query<{ aggregate_id: string; event_id: string }>(
        'SELECT aggregate_id, event_id FROM effects ORDER BY n',
      );
      const byAggregate = new Map<string, string[]>();
      for (const row of rows) {
        const ids = byAggregate.get(row.aggregate_id) ?? [];
        ids.push(row.event_id);
        byAggregate.set(row.aggregate_id, ids);
      }
      return byAggregate;
    }

    const effectCount = (): Promise<number> => db.count('effects');

    function instrumented(inner: EventBus): InstrumentedBus {
      const state: InstrumentedBus['state'] = { published: new Map(), mode: 'ok', failures: 0 };
      const wrapped: EventBus = {
        async publish(events) {
          if (state.mode === 'fail') {
            state.failures += 1;
            throw new Error('broker unavailable');
          }
          try {
            await inner.publish(events);
          } catch (error) {
            state.failures += 1;
            throw error;
          }
          for (const e of events) state.published.set(e.id, (state.published.get(e.id) ?? 0) + 1);
          if (state.mode === 'lose-ack-once') {
            // The broker took the events but the acknowledgement never arrived: the relay must retry them.
            state.mode = 'fail';
            state.failures += 1;
            throw new Error('acknowledgement lost');
          }
        },
        subscribe: (...args) => inner.subscribe(...args),
        deadLetter: (...args) => inner.deadLetter(...args),
        close: () => inner.close(),
      };
      return { bus: wrapped, state };
    }

    function startWorker(): Promise<ChildProcess> {
      const worker = spawn(process.execPath, ['--import', 'tsx', WORKER], {
        env: {
          ...process.env,
          DATABASE_URL: db.url,
          TRANSPORT: target.transport,
          KAFKA_BROKERS: target.brokers?.join(',') ?? '',
          TOPIC_PREFIX: target.topicPrefix ?? '',
          HANDLER_DELAY_MS: '2',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      running.workers.push(worker);
      return new Promise((resolve, reject) => {
        worker.once('exit', (code) => reject(new Error(`worker exited early with code ${code}`)));
        worker.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('ready')) resolve(worker);
        });
      });
    }

    it('applies 10,000 events over 100 aggregates exactly once and in per-aggregate order, with two relays racing', async () => {
      const transport = instrumented(bus);
      await projector();
      relay({ bus: transport.bus, pollIntervalMs: 5, batchSize: 200 });
      relay({ bus: transport.bus, pollIntervalMs: 5, batchSize: 200 });

      const expected = await produceMany(100, 100);

      await vi.waitFor(async () => expect(await effectCount()).toBe(10_000), WAIT);
      expect(await appliedIdsByAggregate()).toEqual(expected);
      expect(await db.count('(SELECT DISTINCT event_id FROM effects) e')).toBe(10_000);
      expect(await db.count('inbox_events')).toBe(10_000);
      // A relay marks its batch sent after the bus accepted it, which on the in-process bus is after the
      // consumers' effects: the last batch's mark can trail the effects by a moment.
      await vi.waitFor(
        async () => expect(await db.count('outbox_events WHERE published_at IS NULL')).toBe(0),
        WAIT,
      );
      expect(transport.state.published.size).toBe(10_000);
      expect([...transport.state.published.values()].every((times) => times === 1)).toBe(true);
    }, 120_000);

    it('neither loses nor double-applies events when the consumer process is killed mid-batch and restarted', async () => {
      const first = await startWorker();
      const expected = await produceMany(50, 40);
      await vi.waitFor(async () => expect(await effectCount()).toBeGreaterThan(300), WAIT);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const appliedAtKill = await effectCount();
      expect(appliedAtKill).toBeLessThan(2_000); // it really died mid-stream

      await startWorker();
      await vi.waitFor(async () => expect(await effectCount()).toBe(2_000), WAIT);
      await new Promise((resolve) => setTimeout(resolve, 300)); // a late duplicate would show up now
      expect(await effectCount()).toBe(2_000);
      expect(await db.count('(SELECT DISTINCT event_id FROM effects) e')).toBe(2_000);
      expect(await appliedIdsByAggregate()).toEqual(expected);
    }, 120_000);

    it('keeps every outbox row while the broker is unreachable and delivers all of them once it returns', async () => {
      const transport = instrumented(bus);
      await projector();
      relay({ bus: transport.bus, pollIntervalMs: 5, batchSize: 100 });
      await produce('warm-up', 0); // connections are up before the outage
      await vi.waitFor(async () => expect(await effectCount()).toBe(1), WAIT);

      await harness.brokerDown(transport);
      let expected: Map<string, string[]>;
      try {
        expected = await produceMany(20, 25, 5);
        await vi.waitFor(() => expect(transport.state.failures).toBeGreaterThanOrEqual(2), WAIT);
        expect(await db.count('outbox_events')).toBe(501);
        expect(await db.count('outbox_events WHERE published_at IS NULL')).toBe(500);
      } finally {
        await harness.brokerUp(transport);
      }

      await vi.waitFor(async () => expect(await effectCount()).toBe(501), WAIT);
      // A relay marks its batch sent after the bus accepted it, which on the in-process bus is after the
      // consumers' effects: the last batch's mark can trail the effects by a moment.
      await vi.waitFor(
        async () => expect(await db.count('outbox_events WHERE published_at IS NULL')).toBe(0),
        WAIT,
      );
      const applied = await appliedIdsByAggregate();
      applied.delete('warm-up');
      expect(applied).toEqual(expected);
    }, 120_000);

    it('republishes a batch whose acknowledgement was lost, and the inbox keeps its effects single', async () => {
      const transport = instrumented(bus);
      transport.state.mode = 'lose-ack-once';
      await projector();
      const expected = await produceMany(5, 10);
      relay({ bus: transport.bus, pollIntervalMs: 5, batchSize: 20 });

      await vi.waitFor(() => expect(transport.state.failures).toBeGreaterThanOrEqual(3), WAIT);
      expect(await db.count('outbox_events WHERE published_at IS NULL')).toBe(50);
      transport.state.mode = 'ok';

      await vi.waitFor(async () => expect(await effectCount()).toBe(50), WAIT);
      expect(await appliedIdsByAggregate()).toEqual(expected);
      expect([...transport.state.published.values()].filter((times) => times === 2)).toHaveLength(20);
    }, 60_000);

    it('has the effect of an event delivered twice only once', async () => {
      const handled: string[] = [];
      await projector({ onEvent: (e) => void handled.push(e.id) });
      const [id] = await produce('seller-dup', 0);
      await relay().flush();
      const { rows } = await db.pool.query<{ data: EventEnvelope['data'] }>('SELECT data FROM outbox_events');
      const event: EventEnvelope = {
        ...statusChanged('seller-dup', 0),
        id: id as string,
        data: rows[0]?.data as EventEnvelope['data'],
      };
      await bus.publish([event]);
      await bus.publish([event, event]);
      const [sentinel] = await produce('seller-dup', 1);
      await relay().flush();
      await vi.waitFor(async () => expect(await effectCount()).toBe(2), WAIT);

      expect(await db.count('effects WHERE event_id = $1', [id])).toBe(1);
      expect(handled).toEqual([id, sentinel]);
    }, 60_000);

    it('dead-letters a poison event with its error while later events of the same partition are processed', async () => {
      const timeline: string[] = [];
      let poisonId = '';
      await projector({
        maxAttempts: 3,
        onEvent: (e) => {
          if (e.id === poisonId) {
            timeline.push('poison attempt');
            throw new Error(`cannot apply seller event ${e.id}`);
          }
          timeline.push(e.id);
        },
      });
      // Same aggregate, so the same partition, before and after the poison event.
      const [before] = await produce('seller-p', 0);
      const [poison] = await produce('seller-p', 1);
      poisonId = poison as string;
      const after = await produce('seller-p', 2, 3);
      const [other] = await produce('seller-q', 0);
      await relay().flush();

      await vi.waitFor(async () => expect(await effectCount()).toBe(5), WAIT);
      expect(await appliedIdsByAggregate()).toEqual(
        new Map([
          ['seller-p', [before, ...after]],
          ['seller-q', [other]],
        ]),
      );
      expect(timeline.filter((t) => t === 'poison attempt')).toHaveLength(3);
      expect(timeline.indexOf(after[0] as string)).toBeGreaterThan(timeline.lastIndexOf('poison attempt'));

      const { rows } = await db.pool.query(
        "SELECT consumer, type, aggregate_id, error, attempts, envelope->>'id' AS event_id FROM dead_letter_events",
      );
      expect(rows).toEqual([
        {
          consumer: 'projector',
          type: 'seller.status_changed',
          aggregate_id: 'seller-p',
          error: `cannot apply seller event ${poison}`,
          attempts: 3,
          event_id: poison,
        },
      ]);

      // A redelivery of the dead-lettered event is recognised: no fourth attempt, no second dead letter.
      const { rows: poisonRow } = await db.pool.query<{ data: EventEnvelope['data'] }>(
        'SELECT data FROM outbox_events WHERE id = $1',
        [poison],
      );
      await bus.publish([
        {
          ...statusChanged('seller-p', 1),
          id: poison as string,
          data: poisonRow[0]?.data as EventEnvelope['data'],
        },
      ]);
      await produce('seller-p', 5);
      await relay().flush();
      await vi.waitFor(async () => expect(await effectCount()).toBe(6), WAIT);
      expect(timeline.filter((t) => t === 'poison attempt')).toHaveLength(3);
      expect(await db.count('dead_letter_events')).toBe(1);
    }, 60_000);

    it('retries an event through a database outage without spending its attempts, then applies it once', async () => {
      let outageLeft = 6; // more failures than maxAttempts
      await projector({
        maxAttempts: 3,
        onEvent: () => {
          if (outageLeft > 0) {
            outageLeft -= 1;
            // What pg raises when PostgreSQL restarts under an open transaction.
            throw Object.assign(new Error('terminating connection due to administrator command'), {
              code: '57P01',
            });
          }
        },
      });
      const [id] = await produce('seller-outage', 0);
      relay();
      await vi.waitFor(async () => expect(await effectCount()).toBe(1), WAIT);
      expect(outageLeft).toBe(0);
      expect(await db.count('effects WHERE event_id = $1', [id])).toBe(1);
      expect(await db.count('dead_letter_events')).toBe(0);
    }, 60_000);

    it('dead-letters an event whose handler keeps failing on another service (not a database outage)', async () => {
      let calls = 0;
      await projector({
        maxAttempts: 3,
        onEvent: () => {
          calls += 1;
          throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:443 (payment provider)'), {
            code: 'ECONNREFUSED',
          });
        },
      });
      await produce('seller-http', 0);
      relay();
      await vi.waitFor(async () => expect(await db.count('dead_letter_events')).toBe(1), WAIT);
      expect(calls).toBe(3);
    }, 60_000);

    it('applies an event once when the same batch carries it twice, on its first delivery', async () => {
      await projector();
      const event = statusChanged('seller-twice', 0);
      const later = statusChanged('seller-twice', 1);
      await bus.publish([event, event, later, event]);
      await vi.waitFor(async () => expect(await effectCount()).toBe(2), WAIT);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await appliedIdsByAggregate()).toEqual(new Map([['seller-twice', [event.id, later.id]]]));
    }, 60_000);

    it('gives each event its own transaction when asked to, and keeps them in order', async () => {
      let transactions = 0;
      await projector({ transactionPerEvent: true, onTransaction: () => (transactions += 1) });
      const events = [0, 1, 2].map((n) => statusChanged('seller-apart', n));
      await bus.publish(events);
      await vi.waitFor(async () => expect(await effectCount()).toBe(3), WAIT);
      expect(transactions).toBe(3);
      expect(await appliedIdsByAggregate()).toEqual(new Map([['seller-apart', events.map((e) => e.id)]]));
    }, 60_000);

    it('treats an uppercase event id as the same event', async () => {
      await projector();
      const event = statusChanged('seller-case', 0);
      await bus.publish([{ ...event, id: event.id.toUpperCase() }]);
      await bus.publish([event]);
      const sentinel = statusChanged('seller-case', 1);
      await bus.publish([sentinel]);
      await vi.waitFor(async () => expect(await effectCount()).toBe(2), WAIT);
      expect(await db.count('effects WHERE event_id = $1', [event.id])).toBe(1);
    }, 60_000);

    it('dead-letters an envelope with an invalid payload or an unknown version without calling the handler', async () => {
      const handled: string[] = [];
      await projector({ onEvent: (e) => void handled.push(e.id) });
      const valid = statusChanged('seller-v', 0);
      const badPayload = { ...statusChanged('seller-v', 1), data: { sellerId: 'seller-v', status: 'OPEN' } };
      const badVersion = { ...statusChanged('seller-v', 2), version: 7 };
      // Envelopes from another build or a broken producer: the types say they cannot exist.
      await bus.publish([badPayload as unknown as EventEnvelope, badVersion, valid]);
      await vi.waitFor(() => expect(handled).toEqual([valid.id]), WAIT);

      const { rows } = await db.pool.query<{ event_id: string; error: string; attempts: number }>(
        "SELECT envelope->>'id' AS event_id, error, attempts FROM dead_letter_events",
      );
      expect(rows).toHaveLength(2);
      const byId = new Map(rows.map((r) => [r.event_id, r]));
      expect(byId.get(badPayload.id)?.error).toMatch(/Invalid "seller\.status_changed" payload.*ownerId/s);
      expect(byId.get(badVersion.id)?.error).toMatch(/Unsupported version 7 of "seller\.status_changed"/);
      expect(byId.get(badVersion.id)?.attempts).toBe(0);
      // Rejected envelopes leave no inbox row, so a replay after an upgrade or a fix is applied.
      expect(
        await db.count('inbox_events WHERE event_id = ANY($1::uuid[])', [[badPayload.id, badVersion.id]]),
      ).toBe(0);
    }, 60_000);

    it('skips an event type this build does not know, without a dead letter', async () => {
      const handled: string[] = [];
      await projector({ onEvent: (e) => void handled.push(e.id) });
      const unknown = { ...statusChanged('seller-u', 0), type: 'seller.renamed' };
      const known = statusChanged('seller-u', 1);
      // A newer producer's event on the same topic: the types say it cannot exist here.
      await bus.publish([unknown as unknown as EventEnvelope, known]);
      await vi.waitFor(() => expect(handled).toEqual([known.id]), WAIT);
      expect(await db.count('dead_letter_events')).toBe(0);
    }, 60_000);

    it('waits in stop() for the event being handled, and commits its effect', async () => {
      const held = gate();
      const entered = gate();
      const consumer = await projector({
        onEvent: async () => {
          entered.open();
          await held.promise;
        },
      });
      const [id] = await produce('seller-stop', 0);
      relay(); // not flush(): in-process, a publish resolves only after the (held) handler finished
      await entered.promise;
      let stopped = false;
      const stopping = consumer.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      expect(await db.count('effects WHERE event_id = $1', [id])).toBe(1);
    }, 60_000);
  });
}
