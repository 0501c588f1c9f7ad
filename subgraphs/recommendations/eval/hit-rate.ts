// Leave-one-out evaluation of the recommendation feed on a generated history. For each test buyer the
// last product they bought is held out; the model learns from everything else; a hit is the held-out
// product among the buyer's top-k. The model's feed and the baseline's are built by the same code the
// API serves (model/feed.ts): the model's is `personalFeed` with the buyer's co-purchase neighbours, the
// baseline's the same without neighbours, i.e. the popular feed minus what the buyer has.
import { personalFeed, type Candidate } from '../src/model/feed.ts';
import { CoPurchaseModel, type PaidOrder } from '../src/model/reference-model.ts';
import { sample, seededRandom } from '../src/model/random.ts';
import type { GeneratedHistory } from './purchase-history.ts';

export interface Evaluation {
  k: number;
  testBuyers: number;
  trainingOrders: number;
  /** Share of test buyers whose held-out product is in the model's top-k. */
  modelHitRate: number;
  /** The same for the popularity baseline. */
  popularHitRate: number;
}

interface HeldOut {
  buyerId: string;
  productId: string;
}

/** For up to `count` buyers with at least 3 products: the product first bought in their last order. */
function chooseHeldOut(orders: readonly PaidOrder[], count: number, seed: number): HeldOut[] {
  const byBuyer = new Map<string, PaidOrder[]>();
  for (const order of orders) byBuyer.set(order.buyerId, [...(byBuyer.get(order.buyerId) ?? []), order]);
  const eligible = [...byBuyer].filter(([, list]) => new Set(list.flatMap((o) => o.productIds)).size >= 3);
  return sample(seededRandom(seed), eligible, count).map(([buyerId, list]) => {
    const last = list[list.length - 1]!;
    const earlier = new Set(list.slice(0, -1).flatMap((o) => o.productIds));
    const fresh = last.productIds.find((id) => !earlier.has(id)) ?? last.productIds[0]!;
    return { buyerId, productId: fresh };
  });
}

export function evaluateHitRate(
  history: GeneratedHistory,
  { k = 10, testBuyers = 500, seed = 1 }: { k?: number; testBuyers?: number; seed?: number } = {},
): Evaluation {
  const heldOut = chooseHeldOut(history.orders, testBuyers, seed);
  const hidden = new Map(heldOut.map((h) => [h.buyerId, h.productId]));
  const model = new CoPurchaseModel();
  let trainingOrders = 0;
  for (const order of history.orders) {
    const productIds = order.productIds.filter((id) => hidden.get(order.buyerId) !== id);
    if (productIds.length > 0 && model.confirm({ ...order, productIds })) trainingOrders += 1;
  }
  const sellerOf = new Map(history.products.map((p) => [p.productId, p.sellerId]));
  const candidate = (productId: string): Candidate => ({ productId, sellerId: sellerOf.get(productId)! });
  const popular = model.popular(history.products.map((p) => p.productId)).map(candidate);

  let modelHits = 0;
  let popularHits = 0;
  for (const { buyerId, productId } of heldOut) {
    const owned = new Set(model.ownedBy(buyerId));
    const neighbours = model.personalScores(buyerId).map((s) => candidate(s.productId));
    const feed = personalFeed({ neighbours, popular, owned, first: k });
    const baseline = personalFeed({ neighbours: [], popular, owned, first: k });
    if (feed.some((c) => c.productId === productId)) modelHits += 1;
    if (baseline.some((c) => c.productId === productId)) popularHits += 1;
  }
  return {
    k,
    testBuyers: heldOut.length,
    trainingOrders,
    modelHitRate: modelHits / heldOut.length,
    popularHitRate: popularHits / heldOut.length,
  };
}
