// The whole model in memory: the same counts, updates and rankings as the database keeps and queries
// (services/purchase.service.ts, repositories/recommendation.repository.ts), in plain TypeScript. The
// offline evaluation trains it on generated histories; test/model-parity.int.test.ts replays one
// history through the event consumer and checks the database recommends exactly what this does.
import { OWNED_FOR_NEIGHBOURS, cosine, pairsTouching, roundScore } from './co-purchase.ts';
import { addLog2, orderLog2Weight, roundPopularity, subtractLog2 } from './popularity.ts';

/** A paid order as the model sees it: who bought which products when. */
export interface PaidOrder {
  orderId: string;
  buyerId: string;
  productIds: readonly string[];
  at: Date | number;
}

export interface Scored {
  productId: string;
  score: number;
}

interface Holding {
  orders: number;
  lastBoughtAt: number;
}

interface CountedOrder {
  buyerId: string;
  productIds: string[];
  at: number;
  cancelled: boolean;
}

const byScoreThenId = (a: Scored, b: Scored): number =>
  roundScore(b.score) - roundScore(a.score) || (a.productId < b.productId ? -1 : 1);

export class CoPurchaseModel {
  private readonly orders = new Map<string, CountedOrder>();
  private readonly holdings = new Map<string, Map<string, Holding>>();
  /** c(i) */
  private readonly buyerCounts = new Map<string, number>();
  private readonly orderCounts = new Map<string, number>();
  private readonly popularityLog2 = new Map<string, number>();
  /** c(i, j), both directions */
  private readonly pairCounts = new Map<string, Map<string, number>>();

  /** Counts a paid order once; false when this order id was counted before. */
  confirm(order: PaidOrder): boolean {
    if (this.orders.has(order.orderId)) return false;
    const at = typeof order.at === 'number' ? order.at : order.at.getTime();
    const productIds = [...new Set(order.productIds)].sort();
    this.orders.set(order.orderId, { buyerId: order.buyerId, productIds, at, cancelled: false });
    const holding = this.holdingsOf(order.buyerId);
    const added = productIds.filter((id) => !holding.has(id));
    this.changePairs(pairsTouching(added, holding.keys()), +1);
    for (const id of productIds) {
      const held = holding.get(id);
      holding.set(id, {
        orders: (held?.orders ?? 0) + 1,
        lastBoughtAt: Math.max(held?.lastBoughtAt ?? at, at),
      });
      this.orderCounts.set(id, (this.orderCounts.get(id) ?? 0) + 1);
      this.popularityLog2.set(id, addLog2(this.popularityLog2.get(id) ?? null, orderLog2Weight(at)));
    }
    for (const id of added) this.buyerCounts.set(id, (this.buyerCounts.get(id) ?? 0) + 1);
    return true;
  }

  /** Takes a counted order out again; false when it was never counted or is out already. */
  cancel(orderId: string): boolean {
    const order = this.orders.get(orderId);
    if (!order || order.cancelled) return false;
    order.cancelled = true;
    const holding = this.holdingsOf(order.buyerId);
    const removed: string[] = [];
    for (const id of order.productIds) {
      const held = holding.get(id)!;
      if (held.orders === 1) {
        holding.delete(id);
        removed.push(id);
      } else holding.set(id, { ...held, orders: held.orders - 1 });
      const orders = this.orderCounts.get(id)! - 1;
      this.orderCounts.set(id, orders);
      if (orders === 0) this.popularityLog2.delete(id);
      else this.popularityLog2.set(id, subtractLog2(this.popularityLog2.get(id)!, orderLog2Weight(order.at)));
    }
    this.changePairs(pairsTouching(removed, holding.keys()), -1);
    for (const id of removed) this.buyerCounts.set(id, this.buyerCounts.get(id)! - 1);
    return true;
  }

  /** What the buyer has, most recently bought first (ties by id). */
  ownedBy(buyerId: string): string[] {
    return [...(this.holdings.get(buyerId) ?? new Map<string, Holding>())]
      .sort(([a, x], [b, y]) => y.lastBoughtAt - x.lastBoughtAt || (a < b ? -1 : 1))
      .map(([id]) => id);
  }

  buyersOf(productId: string): number {
    return this.buyerCounts.get(productId) ?? 0;
  }

  pairBuyers(a: string, b: string): number {
    return this.pairCounts.get(a)?.get(b) ?? 0;
  }

  popularity(productId: string): number | null {
    return this.popularityLog2.get(productId) ?? null;
  }

  /** Products bought by the buyers of `productId`, most similar first. */
  neighbours(productId: string, available: (id: string) => boolean = () => true): Scored[] {
    const own = this.buyersOf(productId);
    return [...(this.pairCounts.get(productId) ?? new Map<string, number>())]
      .filter(([other]) => available(other))
      .map(([other, count]) => ({ productId: other, score: cosine(count, own, this.buyersOf(other)) }))
      .sort(byScoreThenId);
  }

  /** Neighbours of the buyer's most recent products, summed, without anything the buyer has. */
  personalScores(buyerId: string, available: (id: string) => boolean = () => true): Scored[] {
    const owned = this.ownedBy(buyerId);
    const have = new Set(owned);
    const scores = new Map<string, number>();
    for (const product of owned.slice(0, OWNED_FOR_NEIGHBOURS)) {
      for (const { productId, score } of this.neighbours(product)) {
        if (have.has(productId) || !available(productId)) continue;
        scores.set(productId, (scores.get(productId) ?? 0) + score);
      }
    }
    return [...scores].map(([productId, score]) => ({ productId, score })).sort(byScoreThenId);
  }

  /**
   * `productIds` by popularity, most popular first; products without orders last, in the given order
   * (the database puts the most recently listed first there).
   */
  popular(productIds: readonly string[]): string[] {
    const index = new Map(productIds.map((id, i) => [id, i]));
    return [...productIds].sort((a, b) => {
      const pa = this.roundedPopularity(a);
      const pb = this.roundedPopularity(b);
      if (pa !== null && pb !== null && pa !== pb) return pb - pa;
      if ((pa === null) !== (pb === null)) return pa === null ? 1 : -1;
      return index.get(a)! - index.get(b)!;
    });
  }

  private roundedPopularity(productId: string): number | null {
    const log2 = this.popularity(productId);
    return log2 === null ? null : roundPopularity(log2);
  }

  private holdingsOf(buyerId: string): Map<string, Holding> {
    let holding = this.holdings.get(buyerId);
    if (!holding) this.holdings.set(buyerId, (holding = new Map()));
    return holding;
  }

  private changePairs(pairs: readonly (readonly [string, string])[], delta: 1 | -1): void {
    for (const [a, b] of pairs) {
      for (const [x, y] of [
        [a, b],
        [b, a],
      ] as const) {
        let row = this.pairCounts.get(x);
        if (!row) this.pairCounts.set(x, (row = new Map()));
        const count = (row.get(y) ?? 0) + delta;
        if (count === 0) row.delete(y);
        else row.set(y, count);
      }
    }
  }
}
