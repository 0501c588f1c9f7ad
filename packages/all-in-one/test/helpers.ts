import { contractOperation, type GatewayClient } from '@mp/testkit';
import { decodeJwt } from 'jose';

export const DEMO = {
  buyer: { email: 'buyer@demo.test', password: 'buyer-demo-pass' },
  seller: { email: 'seller@demo.test', password: 'seller-demo-pass' },
  seller2: { email: 'seller2@demo.test', password: 'seller-demo-pass' },
  admin: { email: 'admin@demo.test', password: 'admin-demo-pass' },
  carrier: { email: 'carrier@demo.test', password: 'carrier-demo-pass' },
} as const;

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string };
}

interface AuthPayload extends Partial<Session> {
  userErrors: { field: string[] | null; message: string; code: string }[];
}

export async function login(
  client: GatewayClient,
  credentials: { email: string; password: string },
): Promise<Session> {
  const { login: payload } = await client.data<{ login: AuthPayload }>(contractOperation('Login'), {
    input: credentials,
  });
  if (payload.userErrors.length > 0 || !payload.accessToken) {
    throw new Error(`login failed for ${credentials.email}: ${JSON.stringify(payload.userErrors)}`);
  }
  return payload as Session;
}

let counter = 0;
export async function registerBuyer(client: GatewayClient): Promise<Session> {
  counter += 1;
  const email = `e2e-${process.pid}-${Date.now()}-${counter}@example.test`;
  const { register } = await client.data<{ register: AuthPayload }>(contractOperation('Register'), {
    input: { email, password: 'a-long-enough-password', name: `E2E Buyer ${counter}` },
  });
  if (register.userErrors.length > 0 || !register.accessToken)
    throw new Error(JSON.stringify(register.userErrors));
  return register as Session;
}

export function claimsOf(token: string): { scp?: string[]; sid?: string; sub?: string } {
  return decodeJwt(token) as { scp?: string[]; sid?: string; sub?: string };
}

/** Polls until `check` returns a value (eventual consistency through the event bus), or fails. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
