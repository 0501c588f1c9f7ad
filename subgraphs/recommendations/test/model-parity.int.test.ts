// The database model (the consumer's SQL) against the reference model (plain TypeScript, which the
// offline evaluation measures): one generated history, with some paid orders cancelled, replayed through
// the event bus; then every count and every list must agree, also after more orders and cancellations
// arrive while the subgraph holds the model's rows of many products in its cache.
import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateHistory, DEFAULT_HISTORY, type GeneratedHistory } from '../eval/purchase-history.ts';
import { alsoBoughtList, personalFeed, type Candidate } from '../src/model/feed.ts';
import { CoPurchaseModel, type PaidOrder } from '../src/model/reference-model.ts';
import { sample, seededRandom } from '../src/model/random.ts';
import { findNeighbourhoods } from '../src/repositories/recommendation.repository.ts';
import { createNeighbourhoodCache } from '../src/services/neighbourhoods.ts';
import { createPersonalFeeds, type PersonalRows } from '../src/services/personal-feeds.ts';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import { alsoBoughtOf, buyer, envelope, openFixtures, paidEnvelope, recommended } from './fixtures.ts';

let subgraph: TestSubgraph;
let fixtures: ReturnType<typeof openFixtures>;
useTestSubgraph(
  recommendationsSubgraph,
  // Rows kept as long as allowed, so only the consumer's invalidations can make them fresh in time.
  { open: openFixtures, env: { BASE_FEED_CACHE_TTL_MS: '0', NEIGHBOURHOOD_CACHE_TTL_MS: '2000' } },
  (s, f) => {
    subgraph = s;
    fixtures = f;
  },
);

const history: GeneratedHistory = generateHistory({
  ...DEFAULT_HISTORY,
  seed: 99,
  products: 60,
  clusters: 8,
  sellers: 4,
  buyers: 250,
  productsPerBuyer: [2, 6],
});
const model = new CoPurchaseModel();
const random = seededRandom(5);
const cancelled = new Set(sample(random, history.orders, 40).map((o) => o.orderId));
const allIds = history.products.map((p) => p.productId).sort();
const sellerOf = new Map(history.products.map((p) => [p.productId, p.sellerId]));
const candidate = (productId: string): Candidate => ({ productId, sellerId: sellerOf.get(productId)! });

/**
 * Counts the orders in the reference model, paid and then cancelled where `isCancelled` says so, and
 * returns the events that tell the subgraph the same.
 */
function replay(orders: readonly PaidOrder[], isCancelled: (order: PaidOrder) => boolean) {
  return orders.flatMap((order) => {
    const paid = paidEnvelope(order.orderId, order.buyerId, order.productIds, new Date(order.at));
    model.confirm(order);
    if (!isCancelled(order)) return [paid];
    model.cancel(order.orderId);
    return [
      paid,
      envelope('order.cancelled', order.orderId, {
        orderId: order.orderId,
        buyerId: order.buyerId,
        reason: 'BUYER_CANCELLED',
        previousStatus: 'CONFIRMED',
      }),
    ];
  });
}

/** The ids of the feed the reference model serves the buyer (20 products, as the tests ask). */
function expectedFeed(buyerId: string): string[] {
  return personalFeed({
    neighbours: model
      .personalScores(buyerId)
      .slice(0, 60)
      .map((s) => candidate(s.productId)),
    popular: model.popular(allIds).map(candidate),
    owned: new Set(model.ownedBy(buyerId)),
    first: 20,
  }).map((c) => c.productId);
}

beforeAll(async () => {
  const listedAt = new Date('2026-11-01T00:00:00Z');
  await subgraph.bus.publish(
    [...new Set(sellerOf.values())].map((sellerId) =>
      envelope('seller.created', sellerId, {
        sellerId,
        ownerId: `owner-${sellerId}`,
        name: sellerId,
        status: 'ACTIVE',
      }),
    ),
  );
  await subgraph.bus.publish(
    history.products.map(({ productId, sellerId }) =>
      envelope(
        'product.created',
        productId,
        {
          productId,
          sellerId,
          categoryId: 'c',
          title: productId,
          price: { amountMinor: 100, currencyCode: 'EUR' },
          stock: 5,
        },
        listedAt,
      ),
    ),
  );
  // In chunks: the bus spreads each over parallel lanes, as under load.
  const events = replay(history.orders, (order) => cancelled.has(order.orderId));
  for (let i = 0; i < events.length; i += 60) await subgraph.bus.publish(events.slice(i, i + 60));
}, 120_000);

describe('the database model and the reference model', () => {
  it('hold the same counts', async () => {
    expect(await fixtures.prisma.deadLetterEvent.count()).toBe(0);
    const stats = await fixtures.prisma.productStats.findMany();
    expect(stats.length).toBeGreaterThan(40);
    for (const row of stats) {
      expect(row.buyers, row.productId).toBe(model.buyersOf(row.productId));
      if (row.popularityLog2 === null) expect(model.popularity(row.productId)).toBeNull();
      else expect(row.popularityLog2).toBeCloseTo(model.popularity(row.productId)!, 7);
    }
    const pairs = await fixtures.prisma.coPurchase.findMany();
    expect(pairs.length).toBeGreaterThan(100);
    for (const pair of pairs) expect(pair.buyers).toBe(model.pairBuyers(pair.productId, pair.otherId));
  });

  it('recommend the same to buyers, guests and new users', async () => {
    for (const buyerId of sample(random, [...new Set(history.orders.map((o) => o.buyerId))], 40)) {
      expect(await recommended(subgraph, 20, buyer(buyerId)), buyerId).toEqual(expectedFeed(buyerId));
    }
    const popular = model.popular(allIds).map(candidate);
    const guest = personalFeed({ neighbours: [], popular, owned: new Set(), first: 50 }).map(
      (c) => c.productId,
    );
    expect(await recommended(subgraph, 50)).toEqual(guest);
    expect(await recommended(subgraph, 50, buyer())).toEqual(guest);
  });

  /** Scores summed in another order may differ in the last bit; owned products are a set. */
  const comparable = ({ neighbours, owned }: PersonalRows) => ({
    neighbours: neighbours.map((c) => ({ ...c, score: Math.round(c.score * 1e9) / 1e9 })),
    owned: [...owned].sort(),
  });

  it('rank the same neighbours for many buyers read together as for each read alone', async () => {
    const neighbourhoods = createNeighbourhoodCache({
      read: (productIds) => findNeighbourhoods(fixtures.pool, productIds),
      ttlMs: 0,
    });
    const feeds = createPersonalFeeds(fixtures.pool, neighbourhoods);
    const buyers = sample(random, [...new Set(history.orders.map((o) => o.buyerId))], 30);
    // The same buyer twice, with different limits: each request has a slot of its own.
    const requests = [...buyers, buyers[0]!].map((buyerId, i) => ({ buyerId, limit: i === 0 ? 3 : 25 }));
    const together = await Promise.all(requests.map((request) => feeds.read(request)));
    for (const [i, { buyerId, limit }] of requests.entries()) {
      const alone = await feeds.read({ buyerId, limit });
      expect(comparable(together[i]!), buyerId).toEqual(comparable(alone));
      const scored = model.personalScores(buyerId).slice(0, limit);
      expect(
        together[i]!.neighbours.map((c) => c.productId),
        buyerId,
      ).toEqual(scored.map((s) => s.productId));
      expect(together[i]!.owned, buyerId).toEqual(model.ownedBy(buyerId));
    }
    expect(together[0]!.neighbours).toHaveLength(3);
  });

  it('list the same products as also bought', async () => {
    const products = sample(random, allIds, 25);
    const lists = await alsoBoughtOf(subgraph, products, 10);
    products.forEach((productId, i) => {
      const mates = model
        .popular(allIds.filter((id) => sellerOf.get(id) === sellerOf.get(productId) && id !== productId))
        .map(candidate);
      const expected = alsoBoughtList({
        productId,
        neighbours: model.neighbours(productId).map((s) => candidate(s.productId)),
        sameSeller: mates,
        first: 10,
      });
      expect(lists[i], productId).toEqual(expected.map((c) => c.productId));
    });
  });

  it('follow new orders and cancellations at once, though the rows they change were cached', async () => {
    const buyers = [...new Set(history.orders.map((o) => o.buyerId))];
    const watched = sample(random, buyers, 25);
    const feedsOf = () => Promise.all(watched.map((id) => recommended(subgraph, 20, buyer(id))));
    await feedsOf(); // the rows of everything the watched buyers have are cached now
    const later = new Date(Math.max(...history.orders.map((o) => Number(new Date(o.at)))) + 60_000);
    const orders = sample(random, buyers, 30).map((buyerId, i): PaidOrder => ({
      orderId: `later-${i}`,
      buyerId,
      productIds: sample(random, allIds, 1 + (i % 3)),
      at: new Date(later.getTime() + i * 1_000),
    }));
    await subgraph.bus.publish(replay(orders, (order) => orders.indexOf(order) % 4 === 0));
    expect(await feedsOf()).toEqual(watched.map(expectedFeed));
  });
});
