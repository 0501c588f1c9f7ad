// pnpm bench:subscriptions — N graphql-ws subscribers (default 2,000) on one gateway of a fresh all-in-one
// process, following orders with the contract's OrderStatus subscription, while the benchmark drives the
// orders' parcels through shipping and delivery at a steady pace. Prints event → client latency (from
// the saga event's `occurredAt`, stamped in the producing transaction, to the payload arriving at the
// client), payloads per second, and the gateway's memory per connection.
//
// Switches: BENCH_SUBSCRIBERS (2000), BENCH_ORDERS (400; subscribers are spread evenly over the orders,
// each as the order's buyer — a buyer's tabs and devices, sharing one resolution per change),
// BENCH_BUYERS (100; each places ORDERS / BUYERS orders), BENCH_TRANSITIONS_PER_SECOND (10),
// BENCH_DURATION_SECONDS (20).
import { contractOperation, gatewayClient } from '@mp/testkit';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { DEMO, login, registerBuyer, type Session } from '../packages/all-in-one/test/helpers.ts';
import { addToCart, checkout, listProduct, waitForOrder } from '../packages/all-in-one/test/marketplace.ts';
import { metricsUrlOf, percentile, startBenchSystem } from './measure.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 2_000);
const ORDERS = Math.min(SUBSCRIBERS, Number(process.env.BENCH_ORDERS ?? 400));
const RATE = Number(process.env.BENCH_TRANSITIONS_PER_SECOND ?? 10);
const DURATION_MS = Number(process.env.BENCH_DURATION_SECONDS ?? 20) * 1_000;
const PER_ORDER = Math.ceil(SUBSCRIBERS / ORDERS);
const BUYERS = Math.min(ORDERS, Number(process.env.BENCH_BUYERS ?? 100));
const STEPS = ['SHIP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED'] as const;

/** Runs `task` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, i: number) => Promise<R>) {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i]!, i);
      }
    }),
  );
  return results;
}

async function gatewayMemory(metricsUrl: string) {
  const text = await (await fetch(metricsUrl)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return {
    heap: read('gateway_heap_used_bytes'),
    rss: read('process_resident_memory_bytes'),
    connections: read('gateway_ws_connections'),
    groups: read('gateway_ws_subscription_groups'),
  };
}

interface OrderUnderTest {
  buyer: Session;
  orderId: string;
  shipmentId: string;
}

interface Subscriber {
  client: Client;
  statuses: string[];
}

const bench = await startBenchSystem('subscriptions', {
  WS_MAX_CONNECTIONS_PER_USER: String(Math.max(10, PER_ORDER * Math.ceil(ORDERS / BUYERS))),
});
const { system } = bench;
const subscribers: Subscriber[] = [];
const latencies: number[] = [];
let measuring = false;
try {
  const http = gatewayClient(system.gatewayUrl);
  const [seller, carrier] = await Promise.all([login(http, DEMO.seller), login(http, DEMO.carrier)]);

  // Buyers with several orders each (a registration costs a memory-hard password hash); every order's
  // subscribers are its buyer's connections.
  console.log(`setting up ${ORDERS} confirmed orders …`);
  const buyers = await pool(Array.from({ length: BUYERS }), 8, () => registerBuyer(http));
  const product = await listProduct(http, seller.accessToken, buyers[0]!.accessToken, {
    stock: 1_000_000,
    title: 'Bench parcel',
  });
  // One buyer's checkouts go one after another (a cart is one row); buyers check out side by side.
  const perBuyer = await pool(buyers, 20, async (buyer, b) => {
    const mine: { buyer: Session; orderId: string }[] = [];
    for (let i = b; i < ORDERS; i += BUYERS) {
      await addToCart(http, buyer.accessToken, product, 1);
      const answer = await checkout(http, buyer.accessToken);
      if (!answer.order) throw new Error(JSON.stringify(answer.userErrors));
      mine.push({ buyer, orderId: answer.order.id });
    }
    return mine;
  });
  const placed = perBuyer.flat();
  const orders: OrderUnderTest[] = await pool(placed, 10, async ({ buyer, orderId }) => {
    const order = await waitForOrder(http, buyer.accessToken, orderId, ['CONFIRMED'], {
      timeoutMs: 120_000,
      also: (o) => o.shipments.length === 1,
    });
    return { buyer, orderId, shipmentId: order.shipments[0]!.id };
  });

  const metricsUrl = metricsUrlOf(system.gatewayUrl);
  const before = await gatewayMemory(metricsUrl);
  console.log(`opening ${SUBSCRIBERS} subscribers (${PER_ORDER} per order) …`);
  const query = contractOperation('OrderStatus');
  await pool(Array.from({ length: SUBSCRIBERS }), 100, async (_, i) => {
    const order = orders[i % ORDERS]!;
    const subscriber: Subscriber = {
      client: createClient({
        url: system.gatewayUrl.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${order.buyer.accessToken}` },
        retryAttempts: 0,
        lazy: false,
        onNonLazyError: () => undefined,
      }),
      statuses: [],
    };
    subscribers.push(subscriber);
    await new Promise<void>((resolve, reject) => {
      subscriber.client.subscribe(
        { query, variables: { orderId: order.orderId } },
        {
          next: (result) => {
            const receivedAt = Date.now();
            const realtime = (result.extensions as { realtime?: { occurredAt: string | null } } | undefined)
              ?.realtime;
            if (measuring && realtime?.occurredAt)
              latencies.push(receivedAt - Date.parse(realtime.occurredAt));
            const data = result.data as {
              orderStatusChanged: { status: string; shipments: { status: string }[] };
            };
            subscriber.statuses.push(
              `${data.orderStatusChanged.status}/${data.orderStatusChanged.shipments[0]?.status ?? '-'}`,
            );
            resolve(); // the first payload: subscribed
          },
          error: (error) => reject(new Error(JSON.stringify(error))),
          complete: () => undefined,
        },
      );
    });
  });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = await gatewayMemory(metricsUrl);

  // Drive the parcels: step k of every order before step k+1 of any, at RATE transitions per second.
  const plan = STEPS.flatMap((step) => orders.map((order) => ({ order, step })));
  const budget = Math.min(plan.length, Math.floor((RATE * DURATION_MS) / 1_000));
  console.log(`driving ${budget} transitions at ${RATE}/s …`);
  measuring = true;
  const startedAt = Date.now();
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < budget; i++) {
    const wait = startedAt + (i * 1_000) / RATE - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { order, step } = plan[i]!;
    inFlight.push(
      step === 'SHIP'
        ? http.data(
            contractOperation('ShipShipment'),
            { shipmentId: order.shipmentId, input: { carrier: 'DHL' } },
            seller.accessToken,
          )
        : http.data(
            contractOperation('RecordTrackingEvent'),
            { shipmentId: order.shipmentId, input: { status: step, description: `Parcel ${step}` } },
            carrier.accessToken,
          ),
    );
  }
  await Promise.all(inFlight);
  const drivenFor = (Date.now() - startedAt) / 1_000;
  await new Promise((resolve) => setTimeout(resolve, 2_000)); // the last payloads arrive
  measuring = false;

  const sorted = [...latencies].sort((a, b) => a - b);
  // Each subscriber's last payload must show the last step driven for its order.
  const lastStepOf = new Map<string, string>();
  for (const { order, step } of plan.slice(0, budget)) lastStepOf.set(order.orderId, step);
  const expected = (orderId: string) => {
    const step = lastStepOf.get(orderId);
    if (!step) return 'CONFIRMED/PENDING';
    if (step === 'SHIP') return 'CONFIRMED/LABEL_CREATED';
    return step === 'DELIVERED' ? 'COMPLETED/DELIVERED' : `CONFIRMED/${step}`;
  };
  const upToDate = subscribers.filter((s, i) => s.statuses.at(-1) === expected(orders[i % ORDERS]!.orderId));
  console.log(
    `\nbench:subscriptions — ${SUBSCRIBERS} subscribers on ${ORDERS} orders, one gateway (all-in-one, 2 cores)`,
  );
  console.log(
    `  transitions driven:      ${budget} in ${drivenFor.toFixed(1)} s (${(budget / drivenFor).toFixed(1)}/s)`,
  );
  console.log(`  payloads received:       ${sorted.length} (${(sorted.length / drivenFor).toFixed(0)}/s)`);
  console.log(
    `  event → client latency:  p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms`,
  );
  console.log(`  subscribers up to date:  ${upToDate.length} / ${SUBSCRIBERS}`);
  console.log(
    `  gateway memory:          ${((after.heap - before.heap) / SUBSCRIBERS / 1024).toFixed(1)} KiB heap, ` +
      `${((after.rss - before.rss) / SUBSCRIBERS / 1024).toFixed(1)} KiB RSS per connection ` +
      `(${after.connections} connections, ${after.groups} shared resolutions)`,
  );
} finally {
  await Promise.allSettled(subscribers.map((s) => s.client.dispose()));
  await bench.close();
}
