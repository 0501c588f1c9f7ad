import { createPrivateKey, sign } from 'node:crypto';
import {
  createAccessTokenSigner,
  generateKeyPairPem,
  importPrivateKey,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '@mp/auth';
import { startTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { usersSubgraph } from '../src/subgraph.ts';
import { ENTITIES, ME, meWith, registerUser } from './fixtures.ts';

let users: TestSubgraph;

beforeAll(async () => {
  users = await startTestSubgraph(usersSubgraph, inject('postgresAdminUrl'));
});
afterAll(() => users?.stop());

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with the subgraph's real private key, but with claims chosen by the test. */
function handSigned(claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'EdDSA', typ: 'JWT' })}.${b64(claims)}`;
  const signature = sign(null, Buffer.from(input), createPrivateKey(users.auth.privateKeyPem));
  return `${input}.${signature.toString('base64url')}`;
}

function validClaims(userId: string) {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: userId,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: now,
    exp: now + 300,
    scp: ['buyer', 'admin'],
  };
}

async function statementCount(): Promise<number> {
  const response = await fetch(users.running.url.replace(/\/graphql$/, '/metrics'));
  const match = /^db_statements_total\{database="users"\} (\d+)$/m.exec(await response.text());
  if (!match) throw new Error('db_statements_total{database="users"} is missing from /metrics');
  return Number(match[1]);
}

describe('access tokens', () => {
  it('accepts a correctly signed token built by hand (so the refusals below are about one defect each)', async () => {
    const { user } = await registerUser(users);
    const me = await meWith(users, handSigned(validClaims(user.id)));
    expect(me.errors).toBeUndefined();
    expect(me.data!.me!.id).toBe(user.id);
  });

  it('refuses an expired token with UNAUTHENTICATED', async () => {
    const { user } = await registerUser(users);
    const now = Math.floor(Date.now() / 1000);
    const me = await meWith(users, handSigned({ ...validClaims(user.id), iat: now - 3600, exp: now - 60 }));
    expect(me.status).toBe(401);
    expect(me.data ?? null).toBeNull();
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another key', async () => {
    const { user } = await registerUser(users);
    const forger = createAccessTokenSigner(await importPrivateKey(generateKeyPairPem().privateKey), 300);
    const me = await meWith(users, await forger({ userId: user.id, scopes: ['admin'], sellerId: null }));
    expect(me.status).toBe(401);
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an unsigned `alg: none` token', async () => {
    const { user } = await registerUser(users);
    const token = `${b64({ alg: 'none' })}.${b64(validClaims(user.id))}.`;
    const me = await meWith(users, token);
    expect(me.status).toBe(401);
    expect(me.data ?? null).toBeNull();
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const { user } = await registerUser(users);
    const [header, , signature] = handSigned(validClaims(user.id)).split('.');
    const tampered = `${header}.${b64({ ...validClaims(user.id), sub: 'someone-else' })}.${signature}`;
    const me = await meWith(users, tampered);
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('gateway credential', () => {
  it('refuses a request without the gateway credential, even with a valid access token', async () => {
    const { user } = await registerUser(users);
    const result = await users.request(ME, {}, { as: { userId: user.id }, credential: false });
    expect(result.status).toBe(403);
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses an _entities lookup without the gateway credential, and one with a forged credential', async () => {
    const { user } = await registerUser(users);
    const representations = [{ __typename: 'User', id: user.id }];
    for (const credential of [false, 'forged.credential.value'] as const) {
      const result = await users.request(ENTITIES, { representations }, { credential });
      expect(result.status).toBe(403);
      expect(result.data ?? null).toBeNull();
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('User entity', () => {
  it('resolves several users through _entities in order, with one SQL statement for the batch', async () => {
    const registered = await Promise.all(
      ['Ann', 'Ben', 'Cid', 'Dee', 'Eve'].map((name) => registerUser(users, { name })),
    );
    const ids = [...registered.map((r) => r.user.id)].reverse();
    const representations = [...ids, 'no-such-user'].map((id) => ({ __typename: 'User', id }));

    const before = await statementCount();
    const result = await users.request<{ _entities: ({ id: string; name: string } | null)[] }>(ENTITIES, {
      representations,
    });
    const after = await statementCount();

    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([
      { id: ids[0], name: 'Eve' },
      { id: ids[1], name: 'Dee' },
      { id: ids[2], name: 'Cid' },
      { id: ids[3], name: 'Ben' },
      { id: ids[4], name: 'Ann' },
      null,
    ]);
    expect(after - before).toBe(1);
  });

  it('shows name to anyone but email and roles only to the user themself and admins (FORBIDDEN otherwise)', async () => {
    const owner = await registerUser(users, { name: 'Owner' });
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id name email } } }`;
    const representations = [{ __typename: 'User', id: owner.user.id }];

    const anonymous = await users.request<{ _entities: { email: string | null }[] }>(query, {
      representations,
    });
    const stranger = await users.request<{ _entities: { email: string | null }[] }>(
      query,
      { representations },
      { as: { userId: 'stranger' } },
    );
    for (const result of [anonymous, stranger]) {
      expect(result.data!._entities[0]).toEqual({ id: owner.user.id, name: 'Owner', email: null });
      expect(result.errors?.[0]).toMatchObject({
        path: ['_entities', 0, 'email'],
        extensions: { code: 'FORBIDDEN' },
      });
    }
    const strangerRoles = await users.request(
      `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { roles } } }`,
      { representations },
      { as: { userId: 'stranger' } },
    );
    expect(strangerRoles.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const self = await users.request<{ _entities: { email: string }[] }>(
      query,
      { representations },
      { as: { userId: owner.user.id } },
    );
    const admin = await users.request<{ _entities: { email: string }[] }>(
      query,
      { representations },
      {
        as: { userId: 'an-admin', scopes: ['buyer', 'admin'] },
      },
    );
    for (const result of [self, admin]) {
      expect(result.errors).toBeUndefined();
      expect(result.data!._entities[0]!.email).toBe(owner.user.email);
    }
  });
});
