import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../src/model/popularity.ts';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import {
  RECOMMENDED,
  alsoBoughtOf,
  alsoBoughtRequest,
  buyer,
  marketOf,
  newId,
  openFixtures,
  recommended,
  type Market,
} from './fixtures.ts';

// Every test here builds its own products in one shared database; the popular feed is global, so tests
// of it look at where their own products rank.
let subgraph: TestSubgraph;
let market: Market;

useTestSubgraph(
  recommendationsSubgraph,
  // No base-feed cache: each assertion sees the database (that cache has its own tests). The model's
  // rows stay cached as long as allowed, so every assertion after an event also shows it reached them.
  { open: openFixtures, env: { BASE_FEED_CACHE_TTL_MS: '0', NEIGHBOURHOOD_CACHE_TTL_MS: '2000' } },
  (started) => {
    subgraph = started;
    market = marketOf(started);
  },
);

const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);
const only = (feed: readonly string[], mine: readonly string[]) => feed.filter((id) => mine.includes(id));

describe('Product.alsoBought', () => {
  it('lists what the same buyers bought, the closest companions first, not the best-seller everyone buys', async () => {
    const shop = await market.shop();
    const [tent, pegs, lamp, bottle] = await market.products(shop, 4);
    // The bottle is in every basket and bought by many others; the pegs go with the tent.
    for (let i = 0; i < 4; i += 1) await market.pay(newId('user'), [tent!, pegs!, bottle!]);
    await market.pay(newId('user'), [tent!, lamp!, bottle!]);
    for (let i = 0; i < 30; i += 1) await market.pay(newId('user'), [bottle!]);
    const [forTent] = await alsoBoughtOf(subgraph, [tent!], 3);
    expect(forTent).toEqual([pegs, lamp, bottle]);
  });

  it('tops up with more from the same seller, never the product itself', async () => {
    const shop = await market.shop();
    const other = await market.shop();
    const [product, ...mates] = await market.products(shop, 4);
    const [elsewhere] = await market.products(other, 1);
    await market.pay(newId('user'), [product!, elsewhere!]);
    await market.pay(newId('user'), [mates[2]!]); // the most popular of the shop's others
    const [list] = await alsoBoughtOf(subgraph, [product!], 4);
    expect(list![0]).toBe(elsewhere);
    expect(list![1]).toBe(mates[2]);
    expect(new Set(list!.slice(1))).toEqual(new Set(mates));
    expect(list).not.toContain(product);
  });

  it('answers many products in one request, each with its own list', async () => {
    const shop = await market.shop();
    const [a, b, c, d] = await market.products(shop, 4);
    await market.pay(newId('user'), [a!, b!]);
    await market.pay(newId('user'), [c!, d!]);
    const lists = await alsoBoughtOf(subgraph, [a!, c!, newId('never-listed')], 1);
    expect(lists).toEqual([[b], [d], []]);
  });

  it('refuses first outside 1–50 as BAD_USER_INPUT', async () => {
    for (const first of [0, 51, null]) {
      const response = await alsoBoughtRequest(subgraph, [newId('product')], first);
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.message).toBe(
        `"first" must be a whole number from 1 to 50; got ${JSON.stringify(first)}`,
      );
    }
  });
});

describe('recommendedProducts for a buyer with purchases', () => {
  it('recommends the neighbours of what they bought, never what they have, topped up with popular products', async () => {
    const shops = [await market.shop(), await market.shop()];
    const [phone, kase, charger, earbuds] = await market.products(shops[0]!, 4);
    const [cable] = await market.products(shops[1]!, 1);
    await market.pay(newId('user'), [phone!, kase!, charger!]);
    await market.pay(newId('user'), [phone!, kase!]);
    await market.pay(newId('user'), [phone!, cable!]);
    for (let i = 0; i < 3; i += 1) await market.pay(newId('user'), [earbuds!]);
    const me = buyer();
    await market.pay(me.userId, [phone!, charger!]);
    const feed = await recommended(subgraph, 10, me);
    // kase: 2 of phone's 4 buyers, also 1 of charger's 2 (2/√(4·2) + 1/√(2·2)); cable: 1/√(4·1).
    expect(feed.slice(0, 2)).toEqual([kase, cable]);
    expect(feed).not.toContain(phone);
    expect(feed).not.toContain(charger);
    expect(feed).toHaveLength(10);
    expect(feed.indexOf(earbuds!)).toBeGreaterThan(1); // popular, not related: after the neighbours
  });

  it('follows a new order at once: what another buyer of my product just bought comes first', async () => {
    const shop = await market.shop();
    const [lamp, bulb, shade] = await market.products(shop, 3);
    const [first, second] = [buyer(), buyer()];
    await market.pay(first.userId, [lamp!, bulb!]);
    await market.pay(newId('user'), [bulb!]);
    await market.pay(second.userId, [lamp!]);
    const me = buyer();
    await market.pay(me.userId, [lamp!]);
    expect((await recommended(subgraph, 10, me))[0]).toBe(bulb); // lamp's row is cached now
    // A pair lamp's row did not list: the row must go, though lamp is not in the order.
    await market.pay(second.userId, [shade!]);
    // shade: 1/√(3·1); bulb: 1/√(3·2).
    expect((await recommended(subgraph, 10, me)).slice(0, 2)).toEqual([shade, bulb]);
  });

  it('mixes shops: no shop takes more than half while others have something', async () => {
    const [big, small] = [await market.shop(), await market.shop()];
    const bigs = await market.products(big, 8);
    const [smallOne] = await market.products(small, 1);
    const me = buyer();
    // Everything of the big shop is closely related to what the buyer has; the small shop's only loosely.
    for (let i = 0; i < 3; i += 1) await market.pay(newId('user'), bigs);
    await market.pay(newId('user'), [bigs[0]!, smallOne!]);
    await market.pay(me.userId, [bigs[0]!]);
    const feed = await recommended(subgraph, 4, me);
    expect(only(feed, bigs)).toHaveLength(2);
    expect(feed).toContain(smallOne);
  });
});

describe('the popular feed (guests, and signed-in users without purchases)', () => {
  it('ranks by orders, the recent ones counting more', async () => {
    const shops = [await market.shop(), await market.shop(), await market.shop()];
    const [oldHit, recent, unsold] = [
      await market.product(shops[0]!),
      await market.product(shops[1]!),
      await market.product(shops[2]!),
    ];
    for (let i = 0; i < 3; i += 1) await market.pay(newId('user'), [oldHit!], { at: daysAgo(30) });
    await market.pay(newId('user'), [recent!], { at: daysAgo(0) });
    const feed = await recommended(subgraph, 50);
    expect(only(feed, [oldHit!, recent!, unsold!])).toEqual([recent, oldHit, unsold]);
    expect(await recommended(subgraph, 50, buyer())).toEqual(feed);
  });

  it('is full for a guest and for a brand-new user', async () => {
    expect(await recommended(subgraph, 10)).toHaveLength(10);
    expect(await recommended(subgraph, 10, buyer())).toHaveLength(10);
  });

  it('refuses first outside 1–50 as BAD_USER_INPUT', async () => {
    for (const first of [0, -1, 51, null]) {
      const response = await subgraph.request(RECOMMENDED, { first });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('what is never recommended', () => {
  it('leaves out products out of stock, not listed, or of a shop that is not active, in every list', async () => {
    const [shop, suspended, pending] = [
      await market.shop(),
      await market.shop(),
      await market.shop('PENDING'),
    ];
    const [anchor, available, soldOut] = await market.products(shop, 3);
    const [ofSuspended] = await market.products(suspended, 1);
    const [ofPending] = await market.products(pending, 1);
    const unlisted = newId('never-announced');
    const unavailable = [soldOut!, ofSuspended!, ofPending!, unlisted];
    // The unavailable products are the best-sellers and the closest companions of the anchor.
    for (let i = 0; i < 5; i += 1) await market.pay(newId('user'), [anchor!, ...unavailable]);
    await market.pay(newId('user'), [anchor!, available!]);
    const me = buyer();
    await market.pay(me.userId, [anchor!]);
    // Before they went: the anchor's row (cached now) lists both as available.
    expect(await recommended(subgraph, 50, me)).toEqual(expect.arrayContaining([soldOut, ofSuspended]));
    await market.setStock(soldOut!, shop, 0);
    await market.setShopStatus(suspended, 'SUSPENDED', 'ACTIVE');

    const lists = [
      ...(await alsoBoughtOf(subgraph, [anchor!], 50)),
      await recommended(subgraph, 50),
      await recommended(subgraph, 50, me),
      await recommended(subgraph, 50, buyer()),
    ];
    for (const list of lists) {
      expect(list.length).toBeGreaterThan(0);
      for (const id of unavailable) expect(list).not.toContain(id);
    }
    expect(lists[0]).toEqual([available]);
    expect(lists[2]![0]).toBe(available);

    // Back in stock, the shop active again: recommended again.
    await market.setStock(soldOut!, shop, 4, 0);
    await market.setShopStatus(suspended, 'ACTIVE', 'SUSPENDED');
    const [again] = await alsoBoughtOf(subgraph, [anchor!], 50);
    expect(again).toEqual(expect.arrayContaining([soldOut, ofSuspended, available]));
    expect(again).not.toContain(ofPending);
    expect(again).not.toContain(unlisted);
    expect(await recommended(subgraph, 50, me)).toEqual(expect.arrayContaining([soldOut, ofSuspended]));
  });
});
