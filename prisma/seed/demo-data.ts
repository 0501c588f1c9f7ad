// The demo data every subgraph seeds its own slice of on first start. Ids are derived from stable
// names, so the users, sellers, catalog and reviews databases agree without talking to each other.
import { createHash } from 'node:crypto';

/** A deterministic UUID-shaped id for a demo record. */
export function demoId(kind: string, key: string): string {
  const hex = createHash('sha256').update(`demo:${kind}:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type DemoRole = 'buyer' | 'seller' | 'admin' | 'carrier';

export interface DemoUser {
  id: string;
  email: string;
  name: string;
  /** Development only: documented in the README, never used outside all-in-one demo mode. */
  password: string;
  roles: DemoRole[];
  sellerId: string | null;
}

export interface DemoSeller {
  id: string;
  ownerId: string;
  name: string;
  description: string;
}

export interface DemoCategory {
  id: string;
  name: string;
  parentId: string | null;
}

export interface DemoProduct {
  id: string;
  sellerId: string;
  categoryId: string;
  title: string;
  description: string;
  priceMinor: number;
  currencyCode: string;
  stock: number;
  images: string[];
  attributes: Record<string, string>;
  createdAt: Date;
}

export interface DemoReview {
  id: string;
  productId: string;
  authorId: string;
  rating: number;
  title: string;
  body: string;
  createdAt: Date;
}

const user = (
  key: string,
  name: string,
  roles: DemoRole[],
  password: string,
  sellerKey?: string,
): DemoUser => ({
  id: demoId('user', key),
  email: `${key}@demo.test`,
  name,
  password,
  roles,
  sellerId: sellerKey ? demoId('seller', sellerKey) : null,
});

export const demoUsers: DemoUser[] = [
  user('buyer', 'Bea Buyer', ['buyer'], 'buyer-demo-pass'),
  user('seller', 'Sam Seller', ['buyer', 'seller'], 'seller-demo-pass', 'northwind'),
  user('seller2', 'Sasha Shopkeeper', ['buyer', 'seller'], 'seller-demo-pass', 'atelier'),
  user('seller3', 'Sol Trader', ['buyer', 'seller'], 'seller-demo-pass', 'fieldhouse'),
  user('admin', 'Ada Admin', ['buyer', 'admin'], 'admin-demo-pass'),
  user('carrier', 'Cal Carrier', ['carrier'], 'carrier-demo-pass'),
  ...['Riley', 'Morgan', 'Jordan', 'Avery', 'Quinn', 'Rowan'].map((name) =>
    user(`reviewer-${name.toLowerCase()}`, `${name} Reviewer`, ['buyer'], 'buyer-demo-pass'),
  ),
];

const ownerOf = (sellerKey: string) => demoUsers.find((u) => u.sellerId === demoId('seller', sellerKey))!.id;

export const demoSellers: DemoSeller[] = [
  {
    key: 'northwind',
    name: 'Northwind Electronics',
    description: 'Phones, laptops and audio gear, shipped fast.',
  },
  {
    key: 'atelier',
    name: 'Atelier Home & Style',
    description: 'Kitchenware, furniture and fashion from small makers.',
  },
  { key: 'fieldhouse', name: 'Fieldhouse Books & Sports', description: 'Books to read and gear to move.' },
].map(({ key, name, description }) => ({
  id: demoId('seller', key),
  ownerId: ownerOf(key),
  name,
  description,
}));

const category = (name: string, parent?: string): DemoCategory => ({
  id: demoId('category', name),
  name,
  parentId: parent ? demoId('category', parent) : null,
});

export const demoCategories: DemoCategory[] = [
  category('Electronics'),
  category('Phones', 'Electronics'),
  category('Laptops', 'Electronics'),
  category('Audio', 'Electronics'),
  category('Home'),
  category('Kitchen', 'Home'),
  category('Furniture', 'Home'),
  category('Fashion'),
  category('Shoes', 'Fashion'),
  category('Bags', 'Fashion'),
  category('Books'),
  category('Sports'),
];

interface Line {
  category: string;
  seller: string;
  items: [title: string, description: string, price: number][];
}

const catalog: Line[] = [
  {
    category: 'Phones',
    seller: 'northwind',
    items: [
      ['Pixelate 8 Smartphone', 'A 6.1-inch OLED phone with a bright display and all-day battery.', 59900],
      ['Aurora Mini Phone', 'A compact phone that fits one hand, with a great camera.', 42900],
      ['Rugged X Phone', 'Drop-proof, waterproof phone for work sites and trails.', 38900],
      ['Fold Flex Phone', 'A foldable phone that opens into a small tablet.', 129900],
      ['Budget Lite Phone', 'Everything you need, nothing you do not, at a low price.', 14900],
      ['Phone Fast Charger 30W', 'USB-C fast charger that fills most phones in an hour.', 2900],
      ['Clear Phone Case', 'Slim clear case with raised edges to protect the camera.', 1500],
    ],
  },
  {
    category: 'Laptops',
    seller: 'northwind',
    items: [
      ['Ultrabook 14 Air', 'A 1.1 kg laptop with a 14-inch screen and 18-hour battery.', 109900],
      ['Workstation 16 Pro', 'A powerful 16-inch laptop for video editing and code.', 219900],
      ['Chromebook Go', 'A light, simple laptop for school and the web.', 29900],
      ['Gaming Laptop Blaze', 'A 165 Hz gaming laptop with a fast graphics card.', 159900],
      ['Laptop Stand Aluminium', 'Raises your screen to eye level; folds flat for travel.', 3900],
      ['USB-C Dock 8-in-1', 'HDMI, Ethernet, SD and USB ports from one cable.', 6900],
    ],
  },
  {
    category: 'Audio',
    seller: 'northwind',
    items: [
      ['Noise Cancelling Headphones', 'Over-ear headphones with adaptive noise cancelling.', 24900],
      ['True Wireless Earbuds', 'Small earbuds with a pocketable charging case.', 9900],
      ['Bluetooth Speaker Boom', 'A waterproof speaker with deep bass and 20-hour battery.', 7900],
      ['Studio Monitor Speakers', 'A pair of flat-response speakers for the home studio.', 29900],
      ['Vinyl Record Player', 'A belt-drive turntable with built-in preamp.', 19900],
      ['Podcast USB Microphone', 'A cardioid USB microphone for clear voice recording.', 8900],
    ],
  },
  {
    category: 'Kitchen',
    seller: 'atelier',
    items: [
      ['Cast Iron Skillet 28cm', 'Pre-seasoned cast iron skillet that lasts a lifetime.', 4500],
      ['Chef Knife 20cm', 'A forged steel chef knife with a balanced handle.', 8900],
      ['Pour-Over Coffee Set', 'Ceramic dripper, glass carafe and filters.', 3900],
      ['Stoneware Dinner Plates (4)', 'Handmade stoneware plates in a speckled glaze.', 6400],
      ['Linen Tea Towels (3)', 'Absorbent stonewashed linen towels.', 2400],
      ['Dutch Oven 5L', 'Enamelled cast iron pot for stews and bread.', 11900],
      ['Bamboo Cutting Board', 'A large, knife-friendly bamboo board.', 2900],
    ],
  },
  {
    category: 'Furniture',
    seller: 'atelier',
    items: [
      ['Oak Side Table', 'A solid oak side table with a lower shelf.', 17900],
      ['Rattan Lounge Chair', 'A handwoven rattan chair with a linen cushion.', 34900],
      ['Wall Shelf Walnut', 'A floating walnut shelf with hidden brackets.', 5900],
      ['Linen Floor Cushion', 'A thick floor cushion in washed linen.', 7400],
      ['Standing Desk Frame', 'An electric sit-stand desk frame with memory presets.', 39900],
      ['Ceramic Table Lamp', 'A glazed ceramic lamp with a linen shade.', 12900],
    ],
  },
  {
    category: 'Shoes',
    seller: 'atelier',
    items: [
      ['Leather Chelsea Boots', 'Classic Chelsea boots in full-grain leather.', 18900],
      ['Canvas Low Sneakers', 'Everyday canvas sneakers with a rubber sole.', 5900],
      ['Trail Running Shoes', 'Grippy, cushioned shoes for trails.', 12900],
      ['Wool Slippers', 'Warm felted wool slippers.', 4900],
      ['Suede Loafers', 'Soft suede loafers with a leather sole.', 13900],
      ['Hiking Boots Waterproof', 'Waterproof leather boots with ankle support.', 16900],
    ],
  },
  {
    category: 'Bags',
    seller: 'atelier',
    items: [
      ['Waxed Canvas Backpack', 'A water-resistant backpack with a laptop sleeve.', 11900],
      ['Leather Tote Bag', 'A roomy vegetable-tanned leather tote.', 15900],
      ['Weekender Duffel', 'A cabin-size duffel for short trips.', 13900],
      ['Crossbody Phone Bag', 'A small bag for phone, cards and keys.', 3900],
      ['Canvas Market Tote', 'A sturdy canvas tote for groceries and books.', 1900],
      ['Leather Card Wallet', 'A slim wallet for six cards.', 4400],
    ],
  },
  {
    category: 'Books',
    seller: 'fieldhouse',
    items: [
      ['Designing Data Systems', 'A practical guide to databases, streams and distributed systems.', 4500],
      ['The Pragmatic Coder', 'Habits and tools of effective software engineers.', 3900],
      ['Mountain Trails Guide', 'Fifty day hikes with maps and photos.', 2900],
      ['Cooking with Cast Iron', 'Recipes and care for cast iron cookware.', 3200],
      ['A History of Typography', 'How letters took shape, from press to screen.', 3800],
      ['Mindful Running', 'Training plans and the psychology of running.', 2600],
      ['The Small Garden', 'Grow food and flowers on a balcony.', 2400],
    ],
  },
  {
    category: 'Sports',
    seller: 'fieldhouse',
    items: [
      ['Yoga Mat 6mm', 'A non-slip mat with alignment lines.', 3900],
      ['Adjustable Dumbbells', 'A pair of dumbbells from 2 to 24 kg.', 29900],
      ['Carbon Road Bike Helmet', 'A light, ventilated helmet with MIPS.', 14900],
      ['Insulated Water Bottle', 'Keeps drinks cold for 24 hours.', 2900],
      ['Resistance Bands Set', 'Five bands from light to heavy with handles.', 2400],
      ['Trekking Poles Pair', 'Collapsible aluminium poles with cork grips.', 6900],
      ['Tennis Racket Pro', 'A 300 g racket for control and spin.', 17900],
      ['Camping Tent 2P', 'A two-person tent that packs to 2 kg.', 24900],
      ['Running Belt', 'A bounce-free belt for phone and keys.', 1900],
      ['Foam Roller', 'A firm roller for recovery and mobility.', 2900],
    ],
  },
];

const EPOCH = Date.UTC(2026, 9, 1);

export const demoProducts: DemoProduct[] = catalog.flatMap((line) =>
  line.items.map(([title, description, priceMinor], index) => {
    const id = demoId('product', title);
    // Every seventh product is out of stock so filters and badges have something to show.
    const n = parseInt(id.slice(0, 4), 16);
    return {
      id,
      sellerId: demoId('seller', line.seller),
      categoryId: demoId('category', line.category),
      title,
      description,
      priceMinor,
      currencyCode: 'EUR',
      stock: n % 7 === 0 ? 0 : 5 + (n % 60),
      images: [`https://images.demo.test/products/${id}/1.jpg`],
      attributes: { category: line.category.toLowerCase() },
      createdAt: new Date(EPOCH + index * 3_600_000 + (n % 1000) * 60_000),
    };
  }),
);

const reviewers = demoUsers.filter((u) => u.email.startsWith('reviewer-') || u.email === 'buyer@demo.test');
const reviewTexts: [number, string, string][] = [
  [5, 'Excellent', 'Does exactly what it says, and well made. Would buy again.'],
  [4, 'Very good', 'Great value for the price; small quibbles only.'],
  [5, 'Love it', 'Arrived quickly and exceeded my expectations.'],
  [3, 'Decent', 'Fine for everyday use, nothing special.'],
  [4, 'Solid choice', 'Sturdy and looks good. Packaging could be better.'],
];

export const demoReviews: DemoReview[] = demoProducts.flatMap((product, p) => {
  const count = p % 4; // 0–3 reviews per product
  return Array.from({ length: count }, (_, r) => {
    const author = reviewers[(p + r) % reviewers.length]!;
    const [rating, title, body] = reviewTexts[(p * 3 + r) % reviewTexts.length]!;
    return {
      id: demoId('review', `${product.id}:${author.id}`),
      productId: product.id,
      authorId: author.id,
      rating,
      title,
      body,
      createdAt: new Date(product.createdAt.getTime() + (r + 1) * 86_400_000),
    };
  });
});
