import { randomUUID } from 'node:crypto';
import type { GraphQLResponse, TestSubgraph } from '@mp/testkit';

// The client contract's operations (../shared/contract/storefront.graphql), verbatim minus `seller`,
// which the sellers subgraph contributes to User.
export const REGISTER = `mutation Register($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id email name } userErrors { field message code } }
}`;
export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) { accessToken refreshToken user { id email name } userErrors { field message code } }
}`;
export const REFRESH = `mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) { accessToken refreshToken userErrors { field message code } }
}`;
export const LOGOUT = `mutation Logout($refreshToken: String!) {
  logout(refreshToken: $refreshToken) { success userErrors { field message code } }
}`;
export const ME = `query Me { me { id email name roles createdAt } }`;
export const ENTITIES = `query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id name } }
}`;

export interface UserErrorData {
  field: string[] | null;
  message: string;
  code: string;
}
export interface AuthPayloadData {
  accessToken: string | null;
  refreshToken: string | null;
  user: { id: string; email: string | null; name: string } | null;
  userErrors: UserErrorData[];
}
export interface RefreshPayloadData {
  accessToken: string | null;
  refreshToken: string | null;
  userErrors: UserErrorData[];
}
export interface MeData {
  me: { id: string; email: string | null; name: string; roles: string[]; createdAt: string } | null;
}

export const PASSWORD = 'correct horse battery';

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID()}@example.test`;
}

export async function registerUser(
  subgraph: TestSubgraph,
  input: { email?: string; password?: string; name?: string } = {},
): Promise<
  AuthPayloadData & { user: NonNullable<AuthPayloadData['user']>; accessToken: string; refreshToken: string }
> {
  const variables = { input: { email: uniqueEmail(), password: PASSWORD, name: 'Test User', ...input } };
  const result = await subgraph.request<{ register: AuthPayloadData }>(REGISTER, variables);
  const payload = result.data?.register;
  if (!payload?.user || !payload.accessToken || !payload.refreshToken) {
    throw new Error(`register failed: ${JSON.stringify(result)}`);
  }
  return payload as never;
}

export async function refresh(subgraph: TestSubgraph, refreshToken: string): Promise<RefreshPayloadData> {
  const result = await subgraph.request<{ refreshSession: RefreshPayloadData }>(REFRESH, { refreshToken });
  if (!result.data) throw new Error(`refreshSession failed: ${JSON.stringify(result)}`);
  return result.data.refreshSession;
}

export function meWith(subgraph: TestSubgraph, accessToken: string): Promise<GraphQLResponse<MeData>> {
  return subgraph.request<MeData>(ME, {}, { authorization: `Bearer ${accessToken}` });
}

/** The claims of a JWT, read without verifying (the subgraph verified it already, or will). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1];
  if (!payload) throw new Error(`not a JWT: ${jwt}`);
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export async function waitFor<T>(check: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 150; i += 1) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}
