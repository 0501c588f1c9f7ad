// The co-purchase model ("customers who bought this also bought"), as counts that change one order at a
// time:
//   c(i)    = how many buyers have product i (in any of their paid, not cancelled orders),
//   c(i, j) = how many buyers have both i and j.
// Counting buyers rather than orders keeps one buyer who reorders the same things from outweighing many
// buyers, and it links what a buyer bought across orders (most orders hold a single line, so pairs from
// one basket alone would leave most products without neighbours; two products in one basket are of
// course also bought by the same buyer).
//
// Similarity is the cosine of the two products' buyer sets, c(i, j) / √(c(i) · c(j)). Raw co-counts
// would rank the best-sellers first for every product (everyone has them); dividing by √c(j) removes
// that, and dividing by √c(i) makes scores of different products comparable, so a buyer's neighbours
// from several owned products can be summed. It is bounded by 1 (reached when two products always go
// together), needs nothing but the three counts (so it is exact after every increment), and ties rare
// items no higher than ones with evidence: one shared buyer of two rare items scores 1/√(c(i)c(j)).

/**
 * How many of a buyer's products, most recently bought first, their personal neighbours come from: a
 * bound on the work per request for buyers with long histories, and recent purchases say more about
 * what they want next.
 */
export const OWNED_FOR_NEIGHBOURS = 50;

/** An unordered pair of distinct product ids, smaller id first. */
export type ProductPair = readonly [string, string];

function ordered(a: string, b: string): ProductPair {
  return a < b ? [a, b] : [b, a];
}

/**
 * The pairs whose co-count changes by one when `changed` products join (or leave) a buyer who keeps
 * `others`: every pair within `changed`, and every changed product with every kept one. Each unordered
 * pair appears once, in id order.
 */
export function pairsTouching(changed: Iterable<string>, others: Iterable<string>): ProductPair[] {
  const moved = [...new Set(changed)].sort();
  const movedSet = new Set(moved);
  const kept = [...new Set(others)].filter((id) => !movedSet.has(id)).sort();
  const pairs: ProductPair[] = [];
  for (let i = 0; i < moved.length; i += 1) {
    for (let j = i + 1; j < moved.length; j += 1) pairs.push([moved[i]!, moved[j]!]);
    for (const other of kept) pairs.push(ordered(moved[i]!, other));
  }
  return pairs.sort((x, y) => (x[0] === y[0] ? cmp(x[1], y[1]) : cmp(x[0], y[0])));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Cosine similarity of two products' buyer sets from the counts; 0 when either has no buyers. */
export function cosine(pairBuyers: number, buyersOfA: number, buyersOfB: number): number {
  if (pairBuyers <= 0 || buyersOfA <= 0 || buyersOfB <= 0) return 0;
  return pairBuyers / Math.sqrt(buyersOfA * buyersOfB);
}

/**
 * Scores are rounded before they are compared, here and in SQL, so the database and the reference
 * model break ties (by product id) the same way despite summing floating-point terms in another order.
 */
export const SCORE_DECIMALS = 9;

export function roundScore(score: number): number {
  const scale = 10 ** SCORE_DECIMALS;
  return Math.round(score * scale) / scale;
}
