// pnpm eval:recommendations — offline evaluation of the co-purchase model against the popularity
// baseline on a generated purchase history with known structure (eval/purchase-history.ts): hold out
// each test buyer's last purchase, learn from the rest, count how often it is in the top 10.
// EVAL_SEED, EVAL_BUYERS, EVAL_CLUSTER_SHARE override the defaults.
import { evaluateHitRate } from './hit-rate.ts';
import { DEFAULT_HISTORY, generateHistory } from './purchase-history.ts';

const config = {
  ...DEFAULT_HISTORY,
  seed: Number(process.env.EVAL_SEED ?? DEFAULT_HISTORY.seed),
  buyers: Number(process.env.EVAL_BUYERS ?? DEFAULT_HISTORY.buyers),
  clusterShare: Number(process.env.EVAL_CLUSTER_SHARE ?? DEFAULT_HISTORY.clusterShare),
};
const started = performance.now();
const history = generateHistory(config);
const result = evaluateHitRate(history, { k: 10, testBuyers: 500 });
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

console.log(
  `Generated history: ${config.products} products in ${config.clusters} clusters, ${config.sellers} shops, ` +
    `${config.buyers} buyers (${config.productsPerBuyer.join('–')} products each, ` +
    `${pct(config.clusterShare)} from their cluster, the rest by Zipf(${config.popularitySkew}) popularity), ` +
    `${history.orders.length} orders over ${config.days} days, seed ${config.seed}`,
);
console.log(
  `Held out the last purchase of ${result.testBuyers} buyers; trained on ${result.trainingOrders} orders`,
);
console.log(`  hit-rate@${result.k} co-purchase model:    ${pct(result.modelHitRate)}`);
console.log(`  hit-rate@${result.k} popularity baseline:  ${pct(result.popularHitRate)}`);
console.log(
  `  model / baseline:                ${(result.modelHitRate / Math.max(result.popularHitRate, 1e-9)).toFixed(2)}×`,
);
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
