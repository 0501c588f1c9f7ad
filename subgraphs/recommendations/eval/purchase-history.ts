// A generated purchase history with known structure, for the offline evaluation. Products fall into
// clusters of things bought together (a phone, its case, its charger…); each buyer has a home cluster.
// Every purchase is, with probability `clusterShare`, a product of the buyer's cluster, and otherwise
// "noise": a product drawn by global popularity (a few best-sellers everyone buys, a long tail), which
// is exactly what a popularity baseline is good at. Shops are assigned at random, across clusters.
// With `clusterShare: 0` there is no structure beyond popularity at all (the control).
import { DAY_MS } from '../src/model/popularity.ts';
import { randomInt, sample, seededRandom } from '../src/model/random.ts';
import type { PaidOrder } from '../src/model/reference-model.ts';

export interface HistoryConfig {
  seed: number;
  products: number;
  clusters: number;
  sellers: number;
  buyers: number;
  /** Distinct products per buyer, both included. */
  productsPerBuyer: readonly [number, number];
  /** Chance that a purchase comes from the buyer's cluster rather than from global popularity. */
  clusterShare: number;
  /** Zipf exponent of global popularity (1: the k-th best-seller sells 1/k as often as the first). */
  popularitySkew: number;
  /** Orders are spread over this many days before `end`. */
  days: number;
  end: Date;
}

export const DEFAULT_HISTORY: HistoryConfig = {
  seed: 7,
  products: 400,
  clusters: 40,
  sellers: 12,
  buyers: 3_000,
  productsPerBuyer: [3, 8],
  clusterShare: 0.7,
  popularitySkew: 1,
  days: 90,
  end: new Date('2026-11-21T00:00:00Z'),
};

export interface GeneratedProduct {
  productId: string;
  sellerId: string;
  cluster: number;
}

export interface GeneratedHistory {
  config: HistoryConfig;
  products: GeneratedProduct[];
  /** In time order. */
  orders: PaidOrder[];
}

/** Draws an index with probability ∝ weights[i]. */
function weighted(random: () => number, cumulative: readonly number[]): number {
  const target = random() * cumulative[cumulative.length - 1]!;
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (cumulative[mid]! < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function generateHistory(config: HistoryConfig = DEFAULT_HISTORY): GeneratedHistory {
  const random = seededRandom(config.seed);
  const products: GeneratedProduct[] = Array.from({ length: config.products }, (_, i) => ({
    productId: `p${String(i).padStart(4, '0')}`,
    sellerId: `s${randomInt(random, 0, config.sellers - 1)}`,
    cluster: i % config.clusters,
  }));
  // Global popularity: a random permutation of products, Zipf-weighted by rank.
  const byRank = sample(random, products, products.length);
  const cumulative: number[] = [];
  byRank.forEach((_, rank) =>
    cumulative.push((cumulative.at(-1) ?? 0) + 1 / (rank + 1) ** config.popularitySkew),
  );
  const members = Array.from({ length: config.clusters }, (_, c) => products.filter((p) => p.cluster === c));

  const orders: PaidOrder[] = [];
  const start = config.end.getTime() - config.days * DAY_MS;
  for (let b = 0; b < config.buyers; b += 1) {
    const buyerId = `u${String(b).padStart(5, '0')}`;
    const home = members[randomInt(random, 0, config.clusters - 1)]!;
    const wanted = randomInt(random, config.productsPerBuyer[0], config.productsPerBuyer[1]);
    const bought: string[] = [];
    for (let tries = 0; bought.length < wanted && tries < wanted * 20; tries += 1) {
      const product =
        random() < config.clusterShare
          ? home[randomInt(random, 0, home.length - 1)]!
          : byRank[weighted(random, cumulative)]!;
      if (!bought.includes(product.productId)) bought.push(product.productId);
    }
    // One to three orders, in the order the products were picked, at increasing times.
    const orderCount = Math.min(bought.length, randomInt(random, 1, 3));
    const cuts = [
      0,
      ...Array.from({ length: orderCount - 1 }, () => randomInt(random, 1, bought.length - 1)),
      bought.length,
    ].sort((x, y) => x - y);
    let at = start + random() * config.days * DAY_MS * 0.5;
    for (let o = 0; o < orderCount; o += 1) {
      const productIds = bought.slice(cuts[o], cuts[o + 1]);
      if (productIds.length === 0) continue;
      orders.push({ orderId: `${buyerId}-o${o}`, buyerId, productIds, at });
      at += random() * config.days * DAY_MS * 0.25;
    }
  }
  orders.sort((x, y) => Number(x.at) - Number(y.at));
  return { config, products, orders };
}
