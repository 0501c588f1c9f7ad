// Shared by the orders integration tests: a fake payment provider, shops and products announced the way
// catalog and sellers announce them, and the GraphQL operations under test.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '@mp/events';
import { testEnvelope, type TestSubgraph } from '@mp/testkit';

export const PROVIDER_KEY = 'test-provider-key-0123456789';

/** Answers `GET /v1/payment-methods/:token` like the sandbox: the tok_* test tokens exist. */
export async function startFakeProvider(): Promise<{ url: string; close: () => Promise<void> }> {
  const known = new Set(['tok_visa', 'tok_declined', 'tok_unavailable']);
  const server: Server = createServer((req, res) => {
    const token = decodeURIComponent(req.url?.split('/').pop() ?? '');
    const authorized = req.headers.authorization === `Bearer ${PROVIDER_KEY}`;
    res.writeHead(!authorized ? 401 : known.has(token) ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Shop {
  sellerId: string;
  ownerId: string;
}

export async function announceShop(
  orders: TestSubgraph,
  status: 'ACTIVE' | 'SUSPENDED' = 'ACTIVE',
): Promise<Shop> {
  const shop = { sellerId: `seller-${randomUUID()}`, ownerId: `owner-${randomUUID()}` };
  await orders.bus.publish([
    testEnvelope('seller.created', shop.sellerId, { ...shop, name: 'Test shop', status }),
  ]);
  return shop;
}

export async function announceProduct(
  orders: TestSubgraph,
  shop: Shop,
  fields: { priceMinor?: number; currencyCode?: string; title?: string } = {},
): Promise<string> {
  const productId = `product-${randomUUID()}`;
  await orders.bus.publish([
    testEnvelope('product.created', productId, {
      productId,
      sellerId: shop.sellerId,
      categoryId: 'category-1',
      title: fields.title ?? 'Test product',
      price: { amountMinor: fields.priceMinor ?? 1999, currencyCode: fields.currencyCode ?? 'USD' },
      stock: 10,
    }),
  ]);
  return productId;
}

export const buyer = (userId = `buyer-${randomUUID()}`) => ({ userId, scopes: ['buyer' as const] });

export const ADDRESS = {
  name: 'Ada Lovelace',
  line1: '1 Analytical Way',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

export const checkoutInput = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  shippingAddress: ADDRESS,
  paymentMethod: { token: 'tok_visa' },
  ...overrides,
});

export const CART = `{ cart { id itemCount items { product { id } quantity unitPrice { amount currencyCode } lineTotal { amount } available } subtotal { amount currencyCode } } }`;
const CART_PAYLOAD = `cart { id items { product { id } quantity } subtotal { amount currencyCode } } userErrors { field message code }`;
export const ADD_TO_CART = `mutation($productId: ID!, $quantity: Int!) { addToCart(productId: $productId, quantity: $quantity) { ${CART_PAYLOAD} } }`;
export const UPDATE_CART_ITEM = `mutation($productId: ID!, $quantity: Int!) { updateCartItem(productId: $productId, quantity: $quantity) { ${CART_PAYLOAD} } }`;
export const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id status total { amount currencyCode } } userErrors { field message code } } }`;
export const ORDER = `query($id: ID!) { order(id: $id) { id status cancelReason total { amount currencyCode } buyer { id } items { product { id } title quantity unitPrice { amount } } sellerOrders { id status subtotal { amount } seller { id } items { product { id } quantity } } shippingAddress { name country } } }`;
export const CANCEL = `mutation($id: ID!) { cancelOrder(id: $id) { order { id status cancelReason } userErrors { field message code } } }`;

export interface CheckoutResult {
  checkout: {
    order: { id: string; status: string; total: { amount: string; currencyCode: string } } | null;
    userErrors: { field: string[] | null; message: string; code: string }[];
  };
}

export interface OrderResult {
  order: {
    id: string;
    status: string;
    cancelReason: string | null;
    items: { product: { id: string }; quantity: number }[];
    sellerOrders: {
      id: string;
      status: string;
      seller: { id: string };
      items: { product: { id: string } }[];
    }[];
  } | null;
}

/** Records every event of `types` the subgraph's relay publishes from now on. */
export async function recordEvents(orders: TestSubgraph, types: EventEnvelope['type'][]) {
  const seen: EventEnvelope[] = [];
  const subscription = orders.bus.subscribe(`recorder-${randomUUID()}`, types, async (events) => {
    seen.push(...events);
  });
  await subscription.ready;
  return { seen, stop: () => subscription.unsubscribe() };
}
