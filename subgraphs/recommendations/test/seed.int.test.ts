import { createLogger } from '@mp/kit';
import { demoProducts, demoUsers } from '@mp/prisma/seed';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEMO_THEMES, demoPurchaseHistory } from '../src/demo-history.ts';
import { loadEnv } from '../src/env.ts';
import { popularityAt } from '../src/model/popularity.ts';
import { seedDemoData } from '../src/seed.ts';
import { recommendationsSubgraph } from '../src/subgraph.ts';
import { alsoBoughtOf, buyer, envelope, openFixtures, recommended } from './fixtures.ts';

let subgraph: TestSubgraph;
let fixtures: ReturnType<typeof openFixtures>;
const byTitle = (title: string) => demoProducts.find((p) => p.title === title)!.id;
const inStock = new Set(demoProducts.filter((p) => p.stock > 0).map((p) => p.id));

beforeAll(async () => {
  subgraph = await startTestSubgraph(recommendationsSubgraph, inject('postgresAdminUrl'), { seed: true });
  fixtures = openFixtures(subgraph.database.url);
  // What catalog's seed sends on first start.
  await subgraph.bus.publish(
    demoProducts.map((p) =>
      envelope('product.created', p.id, {
        productId: p.id,
        sellerId: p.sellerId,
        categoryId: p.categoryId,
        title: p.title,
        price: { amountMinor: p.priceMinor, currencyCode: p.currencyCode },
        stock: p.stock,
      }),
    ),
  );
}, 60_000);

afterAll(async () => {
  await fixtures?.close();
  await subgraph?.stop();
});

describe('demo data', () => {
  it('counts the demo history: the made-up shoppers’ and the demo buyer’s orders', async () => {
    const history = demoPurchaseHistory(new Date());
    expect(await fixtures.prisma.purchasedOrder.count()).toBe(history.length);
    expect(new Set(history.map((o) => o.buyerId)).size).toBe(151);
  });

  it('lists companions from the same theme as also bought', async () => {
    const [skillet] = await alsoBoughtOf(subgraph, [byTitle('Cast Iron Skillet 28cm')], 4);
    const theme = DEMO_THEMES.find((t) => t.includes('Cast Iron Skillet 28cm'))!.map(byTitle);
    expect(skillet).toHaveLength(4);
    expect(theme.filter((id) => inStock.has(id)).some((id) => skillet!.slice(0, 2).includes(id))).toBe(true);
    for (const id of skillet!) expect(inStock.has(id)).toBe(true);
  });

  it('gives guests a full feed, and the demo buyer one led by companions of what they bought', async () => {
    const guest = await recommended(subgraph, 10);
    expect(guest).toHaveLength(10);
    const demoBuyer = demoUsers.find((u) => u.email === 'buyer@demo.test')!;
    const bought = ['Trail Running Shoes', 'Running Belt', 'Cast Iron Skillet 28cm'].map(byTitle);
    const personal = await recommended(subgraph, 10, buyer(demoBuyer.id));
    expect(personal).toHaveLength(10);
    for (const id of [...guest, ...personal]) expect(inStock.has(id)).toBe(true);
    for (const id of bought) expect(personal).not.toContain(id);
    const companions = DEMO_THEMES.filter((t) => t.some((title) => bought.includes(byTitle(title))))
      .flat()
      .map(byTitle);
    expect(personal.slice(0, 3).every((id) => companions.includes(id))).toBe(true);
  });

  it('is old enough that a few orders today lift a product to the top of the popular feed', async () => {
    const stats = await fixtures.prisma.productStats.findMany();
    const strongest = Math.max(...stats.map((s) => popularityAt(s.popularityLog2, new Date())));
    expect(strongest).toBeGreaterThan(0.2);
    expect(strongest).toBeLessThan(2);
  });

  it('leaves a database with counted orders alone', async () => {
    const before = await fixtures.prisma.purchasedOrder.count();
    const env = loadEnv({
      DATABASE_URL: subgraph.database.url,
      GATEWAY_SECRET: subgraph.auth.gatewaySecret,
      JWT_PUBLIC_KEY: subgraph.auth.publicKeyPem,
    });
    await seedDemoData(env, createLogger('recommendations', 'silent'));
    expect(await fixtures.prisma.purchasedOrder.count()).toBe(before);
  });
});
