// How ranked candidates become the lists the API returns. Pure: the service, the reference model and
// the offline evaluation all use these, so what is evaluated is what is served. Generic in the
// candidate, so what the service reads with each one (its shelf fields) comes through unchanged.

/** A product that may be recommended, with the shop that sells it (for diversification). */
export interface Candidate {
  productId: string;
  sellerId: string;
}

/** The most products one shop may take in a feed of `first` while other shops can fill the rest. */
export function maxPerSeller(first: number): number {
  return Math.max(1, Math.ceil(first / 2));
}

/**
 * The first `first` distinct candidates in rank order, taking at most `maxPerSeller(first)` from any
 * one shop; candidates passed over for that fill the end of the feed, in rank order, only when the
 * others cannot fill it. So a feed is as full as the candidates allow, and no shop crowds the others
 * out of its top while they have something to show.
 */
export function diversify<C extends Candidate>(ranked: readonly C[], first: number): C[] {
  const cap = maxPerSeller(first);
  const taken: C[] = [];
  const deferred: C[] = [];
  const seen = new Set<string>();
  const perSeller = new Map<string, number>();
  for (const candidate of ranked) {
    if (taken.length === first) break;
    if (seen.has(candidate.productId)) continue;
    seen.add(candidate.productId);
    const count = perSeller.get(candidate.sellerId) ?? 0;
    if (count >= cap) {
      deferred.push(candidate);
      continue;
    }
    perSeller.set(candidate.sellerId, count + 1);
    taken.push(candidate);
  }
  return [...taken, ...deferred.slice(0, first - taken.length)];
}

/**
 * A signed-in buyer's feed: neighbours of what they bought (best first), then popular products, never
 * anything they have; diversified across shops. With no neighbours it is the popular feed minus what
 * they have.
 */
export function personalFeed<C extends Candidate>(input: {
  neighbours: readonly C[];
  popular: readonly C[];
  owned: ReadonlySet<string>;
  first: number;
}): C[] {
  const { neighbours, popular, owned, first } = input;
  const ranked = [...neighbours, ...popular].filter((c) => !owned.has(c.productId));
  return diversify(ranked, first);
}

/**
 * `Product.alsoBought`: the product's neighbours (best first), then "more from this seller" (the same
 * shop's popular products) when there are fewer than `first` neighbours. Not diversified: the top-up is
 * meant to stay in the shop. Never the product itself, never a product twice.
 */
export function alsoBoughtList<C extends Candidate>(input: {
  productId: string;
  neighbours: readonly C[];
  sameSeller: readonly C[];
  first: number;
}): C[] {
  const { productId, neighbours, sameSeller, first } = input;
  const seen = new Set([productId]);
  const list: C[] = [];
  for (const candidate of [...neighbours, ...sameSeller]) {
    if (list.length === first) break;
    if (seen.has(candidate.productId)) continue;
    seen.add(candidate.productId);
    list.push(candidate);
  }
  return list;
}
