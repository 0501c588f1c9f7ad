// The demo purchase history recommendations starts from, so `pnpm start` shows sensible feeds at once.
// It is made up, and says so: the orders subgraph holds none of these orders, and they are not derived
// from the demo reviews (those are spread over products round-robin, which as purchases would only add
// noise). Two parts:
//  - 150 made-up shoppers (ids of no real account) with a taste each: a theme of demo products that go
//    together (a phone and its case, a skillet and the cast-iron cookbook, …). Each buys 2–4 products of
//    the theme over one or two orders; some also one product at random.
//  - buyer@demo.test, so the demo buyer's feed is personal: running shoes and a running belt, later a
//    cast-iron skillet.
// Orders are 10–60 days old at first start, so real orders (weight 1 now, halving weekly) show in the
// popular feed after a handful of purchases.
import { demoId, demoProducts, demoUsers } from '@mp/prisma/seed';
import { DAY_MS } from './model/popularity.ts';
import { randomInt, sample, seededRandom } from './model/random.ts';
import type { PaidOrder } from './model/reference-model.ts';

/** Demo products that a shopper would buy together, by title. */
export const DEMO_THEMES: readonly (readonly string[])[] = [
  ['Pixelate 8 Smartphone', 'Phone Fast Charger 30W', 'Clear Phone Case', 'True Wireless Earbuds'],
  ['Aurora Mini Phone', 'Clear Phone Case', 'Crossbody Phone Bag', 'Phone Fast Charger 30W'],
  ['Rugged X Phone', 'Clear Phone Case', 'Trekking Poles Pair', 'Mountain Trails Guide'],
  [
    'Ultrabook 14 Air',
    'Laptop Stand Aluminium',
    'USB-C Dock 8-in-1',
    'Noise Cancelling Headphones',
    'Waxed Canvas Backpack',
  ],
  [
    'Workstation 16 Pro',
    'Standing Desk Frame',
    'USB-C Dock 8-in-1',
    'Designing Data Systems',
    'The Pragmatic Coder',
  ],
  ['Gaming Laptop Blaze', 'Noise Cancelling Headphones', 'Podcast USB Microphone', 'Studio Monitor Speakers'],
  ['Vinyl Record Player', 'Studio Monitor Speakers', 'Bluetooth Speaker Boom', 'Wall Shelf Walnut'],
  [
    'Cast Iron Skillet 28cm',
    'Dutch Oven 5L',
    'Cooking with Cast Iron',
    'Chef Knife 20cm',
    'Bamboo Cutting Board',
  ],
  ['Pour-Over Coffee Set', 'Stoneware Dinner Plates (4)', 'Linen Tea Towels (3)', 'Oak Side Table'],
  ['Rattan Lounge Chair', 'Linen Floor Cushion', 'Ceramic Table Lamp', 'Wool Slippers', 'The Small Garden'],
  ['Trail Running Shoes', 'Running Belt', 'Mindful Running', 'Insulated Water Bottle', 'Foam Roller'],
  ['Hiking Boots Waterproof', 'Trekking Poles Pair', 'Camping Tent 2P', 'Mountain Trails Guide'],
  ['Yoga Mat 6mm', 'Resistance Bands Set', 'Adjustable Dumbbells', 'Foam Roller'],
  ['Leather Chelsea Boots', 'Suede Loafers', 'Leather Card Wallet', 'Leather Tote Bag', 'Weekender Duffel'],
  ['Canvas Low Sneakers', 'Canvas Market Tote', 'Crossbody Phone Bag', 'A History of Typography'],
  ['Carbon Road Bike Helmet', 'Insulated Water Bottle', 'Tennis Racket Pro', 'Running Belt'],
];

export const DEMO_SHOPPERS = 150;
const SEED = 20_261_121;

export function demoShopperId(index: number): string {
  return demoId('user', `recommendations-shopper-${index}`);
}

function productIdOf(title: string): string {
  const product = demoProducts.find((p) => p.title === title);
  if (!product) throw new Error(`Demo theme names "${title}", which is not a demo product`);
  return product.id;
}

/** The demo history as paid orders, shopper orders dated relative to `now` (first start). */
export function demoPurchaseHistory(now: Date): PaidOrder[] {
  const random = seededRandom(SEED);
  const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const demoBuyer = demoUsers.find((u) => u.email === 'buyer@demo.test')!.id;
  const orders: PaidOrder[] = [
    {
      orderId: demoId('order', 'recommendations-demo-buyer-1'),
      buyerId: demoBuyer,
      productIds: ['Trail Running Shoes', 'Running Belt'].map(productIdOf),
      at: daysAgo(20),
    },
    {
      orderId: demoId('order', 'recommendations-demo-buyer-2'),
      buyerId: demoBuyer,
      productIds: [productIdOf('Cast Iron Skillet 28cm')],
      at: daysAgo(12),
    },
  ];
  const themes = DEMO_THEMES.map((titles) => titles.map(productIdOf));
  const everything = demoProducts.map((p) => p.id);
  for (let shopper = 0; shopper < DEMO_SHOPPERS; shopper += 1) {
    const buyerId = demoShopperId(shopper);
    const theme = themes[shopper % themes.length]!;
    const bought = sample(random, theme, randomInt(random, 2, 4));
    const split =
      bought.length > 2 && random() < 0.5 ? randomInt(random, 1, bought.length - 1) : bought.length;
    const baskets = [bought.slice(0, split), bought.slice(split)].filter((b) => b.length > 0);
    if (random() < 0.3) baskets.push(sample(random, everything, 1));
    baskets.forEach((productIds, i) =>
      orders.push({
        orderId: demoId('order', `recommendations-shopper-${shopper}-${i}`),
        buyerId,
        productIds,
        at: daysAgo(10 + random() * 50),
      }),
    );
  }
  return orders;
}
