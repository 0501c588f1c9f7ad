// Two gateway processes sharing a real Redis: the all-in-one process (whose relay publishes the saga's
// changes to Redis) and a second, standalone gateway that hears them only through Redis.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { contractOperation, startRedisServer, type GatewayClient, type TestRedis } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, login, registerBuyer, type Session } from './helpers.ts';
import { addToCart, checkout, listProduct, waitForOrder, type UserErrors } from './marketplace.ts';
import { connect, type RealtimeConnection } from './realtime.ts';
import { useTestSystem, type TestSystem } from './system.ts';

const gatewayEntry = fileURLToPath(new URL('../../../gateway/src/index.ts', import.meta.url));

interface Replica {
  url: string;
  child: ChildProcess;
  /** SIGTERM; resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** A standalone gateway (`pnpm --filter @mp/gateway start`) in front of the test system's subgraphs. */
function startReplica(system: TestSystem, redisUrl: string): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', gatewayEntry], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: '0',
      HOST: '127.0.0.1',
      GATEWAY_SECRET: system.secrets.gatewaySecret,
      JWT_PUBLIC_KEY: system.secrets.jwtPublicKey,
      REDIS_URL: redisUrl,
      ...Object.fromEntries(system.subgraphs.map((s) => [`SUBGRAPH_${s.name.toUpperCase()}_URL`, s.url])),
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`replica not listening within 30 s:\n${output}`)),
      30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /gateway listening on (http:\/\/\S+\/graphql)/.exec(output);
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        url: listening[1]!,
        child,
        stop: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => reject(new Error(`replica exited with ${code}:\n${output}`)));
  });
}

const redisReady: { redis?: TestRedis } = {};
const systemEnv: Record<string, string> = {};
beforeAll(async () => {
  redisReady.redis = await startRedisServer();
  systemEnv.REDIS_URL = redisReady.redis.url; // read by useTestSystem's hook, registered after this one
});
afterAll(async () => {
  await redisReady.redis?.stop(); // after-hooks run last-registered first: after the system stopped
});

let system: TestSystem;
let client: GatewayClient;
useTestSystem(
  (s, c) => {
    system = s;
    client = c;
  },
  { env: systemEnv },
);

let replica: Replica;
let buyer: Session;
let northwind: Session;
let atelier: Session;
let carrier: Session;
const connections: RealtimeConnection[] = [];

beforeAll(async () => {
  replica = await startReplica(system, redisReady.redis!.url);
  [buyer, northwind, atelier, carrier] = await Promise.all([
    registerBuyer(client),
    login(client, DEMO.seller),
    login(client, DEMO.seller2),
    login(client, DEMO.carrier),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all(connections.map((c) => c.close()));
  if (replica?.child.exitCode === null) await replica.stop();
});

interface TrackingPayload {
  shipmentUpdated: { id: string; status: string; seller: { name: string }; order: { id: string } };
}

describe('two gateways sharing Redis', () => {
  it('deliver the same transitions to their subscribers, and the stopped one completes its subscriptions', async () => {
    const lamp = await listProduct(client, northwind.accessToken, buyer.accessToken, { stock: 3 });
    const vase = await listProduct(client, atelier.accessToken, buyer.accessToken, { stock: 3 });
    await addToCart(client, buyer.accessToken, lamp, 1);
    await addToCart(client, buyer.accessToken, vase, 1);
    const placed = await checkout(client, buyer.accessToken);
    const order = await waitForOrder(client, buyer.accessToken, placed.order!.id, ['CONFIRMED'], {
      also: (o) => o.shipments.length === 2,
    });
    const shipmentId = order.shipments.find((s) => s.seller.name === 'Northwind Electronics')!.id;

    const onEach = [system.gatewayUrl, replica.url].map((url) => {
      const connection = connect(url, northwind.accessToken);
      connections.push(connection);
      return connection.follow<TrackingPayload>(contractOperation('ShipmentTracking'), { shipmentId });
    });
    const bothSee = (status: string) =>
      Promise.all(onEach.map((f) => f.until((p) => p.shipmentUpdated.status === status)));
    await bothSee('PENDING');

    const { shipShipment } = await client.data<{ shipShipment: UserErrors }>(
      contractOperation('ShipShipment'),
      { shipmentId, input: { carrier: 'DHL' } },
      northwind.accessToken,
    );
    expect(shipShipment.userErrors).toEqual([]);
    await bothSee('LABEL_CREATED');
    for (const status of ['IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']) {
      await client.data(
        contractOperation('RecordTrackingEvent'),
        { shipmentId, input: { status, description: `Parcel ${status}` } },
        carrier.accessToken,
      );
      await bothSee(status);
    }
    const [local, remote] = onEach.map((f) => f.payloads.map((p) => p.shipmentUpdated.status));
    expect(local).toEqual(['PENDING', 'LABEL_CREATED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED']);
    expect(remote).toEqual(local);

    // SIGTERM: the replica completes the subscription (a `complete`, not an error) and exits cleanly.
    const remoteFollowed = onEach[1]!;
    expect(await replica.stop()).toBe(0);
    await remoteFollowed.ended();
    expect(remoteFollowed.completed).toBe(true);
    expect(remoteFollowed.errors).toBeNull();
    expect(connections[1]!.closed()?.code).toBe(1001);
  });
});
