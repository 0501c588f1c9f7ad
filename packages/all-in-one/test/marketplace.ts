// Buyer, seller and operator actions through the gateway, and the saga's invariants read from the
// subgraphs' own databases, for the order-flow end-to-end tests.
import { randomUUID } from 'node:crypto';
import { contractOperation, type GatewayClient } from '@mp/testkit';
import pg from 'pg';
import { eventually } from './helpers.ts';

export interface UserErrors {
  userErrors: { field: string[] | null; message: string; code: string }[];
}

export const ADDRESS = {
  name: 'Grace Hopper',
  line1: '1 Compiler Street',
  city: 'Arlington',
  postalCode: '22201',
  country: 'US',
};

let electronicsCategory: string | undefined;

async function categoryId(client: GatewayClient): Promise<string> {
  if (electronicsCategory) return electronicsCategory;
  const { categories } = await client.data<{ categories: { id: string; name: string }[] }>(
    contractOperation('Categories'),
  );
  electronicsCategory = categories.find((c) => c.name === 'Audio')?.id ?? categories[0]!.id;
  return electronicsCategory;
}

/** A seller lists a new product; resolves once orders can sell it (its projection heard of it). */
export async function listProduct(
  client: GatewayClient,
  sellerToken: string,
  buyerToken: string,
  {
    stock,
    price = '10.00',
    title = `E2E product ${randomUUID().slice(0, 8)}`,
  }: { stock: number; price?: string; title?: string },
): Promise<string> {
  const { createProduct } = await client.data<{
    createProduct: UserErrors & { product: { id: string } | null };
  }>(
    contractOperation('CreateProduct'),
    {
      input: {
        title,
        description: 'Listed by the end-to-end tests.',
        price,
        currencyCode: 'USD',
        categoryId: await categoryId(client),
        stock,
      },
    },
    sellerToken,
  );
  if (!createProduct.product) throw new Error(JSON.stringify(createProduct.userErrors));
  const productId = createProduct.product.id;
  // Probe with a cart change that is undone at once: the projection is eventually consistent.
  let lastErrors: UserErrors['userErrors'] = [];
  await eventually(async () => {
    const added = await addToCart(client, buyerToken, productId, 1);
    if (added.userErrors.length > 0) {
      lastErrors = added.userErrors;
      return undefined;
    }
    await updateCartItem(client, buyerToken, productId, 0);
    return true;
  }).catch((error: Error) => {
    throw new Error(`${error.message}: orders cannot sell ${productId} yet: ${JSON.stringify(lastErrors)}`);
  });
  return productId;
}

export async function addToCart(client: GatewayClient, token: string, productId: string, quantity: number) {
  const { addToCart: payload } = await client.data<{ addToCart: UserErrors & { cart: unknown } }>(
    contractOperation('AddToCart'),
    { productId, quantity },
    token,
  );
  return payload;
}

export async function updateCartItem(
  client: GatewayClient,
  token: string,
  productId: string,
  quantity: number,
) {
  const { updateCartItem: payload } = await client.data<{ updateCartItem: UserErrors & { cart: unknown } }>(
    contractOperation('UpdateCartItem'),
    { productId, quantity },
    token,
  );
  return payload;
}

export interface CheckoutAnswer extends UserErrors {
  order: { id: string; status: string; total: { amount: string; currencyCode: string } } | null;
}

export async function checkout(
  client: GatewayClient,
  token: string,
  { paymentToken = 'tok_visa', idempotencyKey = randomUUID(), address = ADDRESS } = {},
): Promise<CheckoutAnswer> {
  const { checkout: payload } = await client.data<{ checkout: CheckoutAnswer }>(
    contractOperation('Checkout'),
    { input: { idempotencyKey, shippingAddress: address, paymentMethod: { token: paymentToken } } },
    token,
  );
  return payload;
}

export interface OrderDetails {
  id: string;
  status: string;
  total: { amount: string };
  buyer: { id: string };
  items: { product: { id: string; title: string; seller: { id: string; name: string } }; quantity: number }[];
  payment: { id: string; status: string; amount: { amount: string } } | null;
  shipments: { id: string; status: string; carrier: string | null; seller: { id: string; name: string } }[];
}

export async function orderDetails(client: GatewayClient, token: string, id: string): Promise<OrderDetails> {
  const { order } = await client.data<{ order: OrderDetails }>(
    contractOperation('OrderDetails'),
    { id },
    token,
  );
  return order;
}

/** Waits until the order's status is one of `statuses` (and `also` holds); returns the order. */
export async function waitForOrder(
  client: GatewayClient,
  token: string,
  id: string,
  statuses: readonly string[],
  {
    timeoutMs = 10_000,
    also = () => true,
  }: { timeoutMs?: number; also?: (order: OrderDetails) => boolean } = {},
): Promise<OrderDetails> {
  return eventually(async () => {
    const order = await orderDetails(client, token, id);
    return statuses.includes(order.status) && also(order) ? order : undefined;
  }, timeoutMs);
}

/** Checks the saga's money and stock invariants straight in the owning databases. */
export async function checkInvariants(
  databaseUrl: (subgraph: string) => string,
  initialStock: ReadonlyMap<string, number>,
): Promise<void> {
  const catalog = new pg.Client({ connectionString: databaseUrl('catalog') });
  const payments = new pg.Client({ connectionString: databaseUrl('payments') });
  const orders = new pg.Client({ connectionString: databaseUrl('orders') });
  await Promise.all([catalog.connect(), payments.connect(), orders.connect()]);
  try {
    const { rows: stock } = await catalog.query<{ id: string; total: number }>(
      'SELECT id, stock + reserved + sold AS total FROM products WHERE id = ANY($1)',
      [[...initialStock.keys()]],
    );
    for (const [id, initial] of initialStock) {
      const row = stock.find((r) => r.id === id);
      if (row?.total !== initial) {
        throw new Error(`product ${id}: available + reserved + sold = ${row?.total}, expected ${initial}`);
      }
    }
    const { rows: captured } = await payments.query<{ order_id: string }>(
      "SELECT order_id FROM payments WHERE status = 'CAPTURED'",
    );
    if (captured.length > 0) {
      const { rows: dead } = await orders.query<{ id: string }>(
        "SELECT id::text FROM orders WHERE id = ANY($1::uuid[]) AND status = 'CANCELLED'",
        [captured.map((c) => c.order_id)],
      );
      if (dead.length > 0)
        throw new Error(`captured payments of cancelled orders, never refunded: ${JSON.stringify(dead)}`);
    }
  } finally {
    await Promise.all([catalog.end(), payments.end(), orders.end()]);
  }
}

/** The sandbox provider's record of an order's authorizations. */
export async function providerAuthorizations(
  providerUrl: string,
  apiKey: string,
  orderId: string,
): Promise<{ id: string; status: string }[]> {
  const response = await fetch(`${providerUrl}/v1/authorizations?reference=${encodeURIComponent(orderId)}`, {
    headers: { authorization: `Bearer ${apiKey}` },
  });
  if (!response.ok) throw new Error(`provider answered ${response.status}`);
  const body = (await response.json()) as
    { data?: { id: string; status: string }[] } | { id: string; status: string }[];
  return Array.isArray(body) ? body : (body.data ?? []);
}
