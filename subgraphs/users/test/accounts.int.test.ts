import { useTestSubgraph, type TestSubgraph } from '@mp/testkit';
import { describe, expect, it } from 'vitest';
import { openDb, type UsersDb } from '../src/db.ts';
import { usersSubgraph } from '../src/subgraph.ts';
import {
  ENTITIES,
  LOGIN,
  PASSWORD,
  REGISTER,
  claimsOf,
  meWith,
  registerUser,
  uniqueEmail,
  type AuthPayloadData,
} from './fixtures.ts';

let users: TestSubgraph;
let db: UsersDb;

useTestSubgraph(usersSubgraph, { open: openDb }, (started, opened) => {
  users = started;
  db = opened;
});

async function rowCounts() {
  const [accounts, sessions, refreshTokens, outbox] = await Promise.all([
    db.prisma.user.count(),
    db.prisma.session.count(),
    db.prisma.refreshToken.count(),
    db.prisma.outboxEvent.count(),
  ]);
  return { accounts, sessions, refreshTokens, outbox };
}

async function login(email: string, password: string): Promise<AuthPayloadData> {
  const result = await users.request<{ login: AuthPayloadData }>(LOGIN, { input: { email, password } });
  return result.data!.login;
}

describe('register and me', () => {
  it('registers a buyer who can then read themself through Query.me with the issued access token', async () => {
    const email = uniqueEmail('Mixed.Case');
    const registered = await registerUser(users, { email, name: '  Rosa Parks  ' });
    expect(registered.userErrors).toEqual([]);
    expect(registered.user).toMatchObject({ email: email.toLowerCase(), name: 'Rosa Parks' });
    expect(claimsOf(registered.accessToken)).toMatchObject({ sub: registered.user.id, scp: ['buyer'] });
    expect(claimsOf(registered.accessToken)).not.toHaveProperty('sid');

    const me = await meWith(users, registered.accessToken);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({
      id: registered.user.id,
      email: email.toLowerCase(),
      name: 'Rosa Parks',
      roles: ['BUYER'],
    });
    expect(new Date(me.data!.me!.createdAt).toISOString()).toBe(me.data!.me!.createdAt);
  });

  it('stores a scrypt hash with its parameters, never the password, and writes user.registered in the outbox', async () => {
    const registered = await registerUser(users);
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: registered.user.id } });
    expect(row.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(row.passwordHash).not.toContain(PASSWORD);
    const event = await db.prisma.outboxEvent.findFirst({ where: { aggregateId: registered.user.id } });
    expect(event).toMatchObject({
      type: 'user.registered',
      data: { userId: registered.user.id, email: registered.user.email, name: 'Test User' },
    });
  });

  it('answers Query.me with UNAUTHENTICATED when the token is valid but the account is gone', async () => {
    const registered = await registerUser(users);
    await db.prisma.user.delete({ where: { id: registered.user.id } });
    const me = await meWith(users, registered.accessToken);
    expect(me.data?.me ?? null).toBeNull();
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses Query.me without an access token', async () => {
    const me = await users.request('{ me { id } }');
    expect(me.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('login', () => {
  it('signs in with the right password, regardless of the email case', async () => {
    const registered = await registerUser(users);
    const result = await login(registered.user.email!.toUpperCase(), PASSWORD);
    expect(result.userErrors).toEqual([]);
    expect(result.user).toMatchObject({ id: registered.user.id, email: registered.user.email });
    expect(result.accessToken).toBeTruthy();
    expect(result.refreshToken).toBeTruthy();
    expect(result.refreshToken).not.toBe(registered.refreshToken);
  });

  it('gives a wrong password and an unknown email the same INVALID_CREDENTIALS answer and no tokens', async () => {
    const registered = await registerUser(users);
    const wrongPassword = await login(registered.user.email!, 'not the password');
    const unknownEmail = await login(uniqueEmail('nobody'), 'not the password');
    for (const result of [wrongPassword, unknownEmail]) {
      expect(result).toMatchObject({ accessToken: null, refreshToken: null, user: null });
      expect(result.userErrors).toHaveLength(1);
      expect(result.userErrors[0]).toMatchObject({ code: 'INVALID_CREDENTIALS', field: null });
    }
    const template = (message: string) => message.replace(/"[^"]*"/, '"…"');
    expect(template(unknownEmail.userErrors[0]!.message)).toBe(
      template(wrongPassword.userErrors[0]!.message),
    );
  });

  it('spends the password-hashing time on an unknown email too, so timing does not reveal accounts', async () => {
    const registered = await registerUser(users);
    const timed = async (email: string) => {
      const started = performance.now();
      await login(email, 'not the password');
      return performance.now() - started;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      known.push(await timed(registered.user.email!));
      unknown.push(await timed(uniqueEmail('ghost')));
    }
    // Without the dummy KDF an unknown email answers in a few ms against tens of ms for a real check.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.5);
  });
});

describe('registration validation', () => {
  it('treats emails case-insensitively: a second account with the same address in other case is EMAIL_TAKEN', async () => {
    const email = uniqueEmail('case');
    await registerUser(users, { email });
    const before = await rowCounts();
    const again = await users.request<{ register: AuthPayloadData }>(REGISTER, {
      input: { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: 'Copycat' },
    });
    expect(again.data!.register).toMatchObject({ accessToken: null, refreshToken: null, user: null });
    expect(again.data!.register.userErrors).toEqual([
      expect.objectContaining({ field: ['input', 'email'], code: 'EMAIL_TAKEN' }),
    ]);
    expect(await rowCounts()).toEqual(before);
  });

  it('lets exactly one of two simultaneous registrations of the same email through; the other is EMAIL_TAKEN', async () => {
    const email = uniqueEmail('race');
    const results = await Promise.all(
      [0, 1].map((n) =>
        users.request<{ register: AuthPayloadData }>(REGISTER, {
          input: { email, password: PASSWORD, name: `Racer ${n}` },
        }),
      ),
    );
    expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
    const codes = results.map((r) => r.data!.register.userErrors[0]?.code ?? 'OK').sort();
    expect(codes).toEqual(['EMAIL_TAKEN', 'OK']);
    expect(await db.prisma.user.count({ where: { email } })).toBe(1);
  });

  const badInputs: [string, { email: string; password: string; name: string }, string[][]][] = [
    ['an email without @', { email: 'not-an-email', password: PASSWORD, name: 'N' }, [['input', 'email']]],
    [
      'an email without a domain dot',
      { email: 'a@localhost', password: PASSWORD, name: 'N' },
      [['input', 'email']],
    ],
    [
      'an email with spaces inside',
      { email: 'a b@example.test', password: PASSWORD, name: 'N' },
      [['input', 'email']],
    ],
    [
      'an email over 254 characters',
      { email: `${'a'.repeat(60)}@${'b'.repeat(200)}.test`, password: PASSWORD, name: 'N' },
      [['input', 'email']],
    ],
    [
      'a 9-character password',
      { email: uniqueEmail(), password: '123456789', name: 'N' },
      [['input', 'password']],
    ],
    [
      'a 129-character password',
      { email: uniqueEmail(), password: 'p'.repeat(129), name: 'N' },
      [['input', 'password']],
    ],
    ['a blank name', { email: uniqueEmail(), password: PASSWORD, name: '   ' }, [['input', 'name']]],
    [
      'a 101-character name',
      { email: uniqueEmail(), password: PASSWORD, name: 'n'.repeat(101) },
      [['input', 'name']],
    ],
    [
      'everything wrong at once',
      { email: '@', password: '', name: '' },
      [
        ['input', 'email'],
        ['input', 'password'],
        ['input', 'name'],
      ],
    ],
  ];

  it.each(badInputs)(
    'rejects %s with INVALID_INPUT userErrors and writes nothing',
    async (_, input, fields) => {
      const before = await rowCounts();
      const result = await users.request<{ register: AuthPayloadData }>(REGISTER, { input });
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
      const payload = result.data!.register;
      expect(payload).toMatchObject({ accessToken: null, refreshToken: null, user: null });
      expect(payload.userErrors.map((e) => e.field)).toEqual(fields);
      expect(payload.userErrors.every((e) => e.code === 'INVALID_INPUT' && e.message.length > 0)).toBe(true);
      expect(await rowCounts()).toEqual(before);
    },
  );

  it('refuses control characters (PostgreSQL text cannot even hold NUL) as userErrors, never a 500', async () => {
    const before = await rowCounts();
    const register = await users.request<{ register: AuthPayloadData }>(REGISTER, {
      input: { email: 'nul\u0000@example.test', password: PASSWORD, name: 'Bad\u0000Name' },
    });
    expect(register.errors).toBeUndefined();
    expect(register.data!.register.userErrors.map((e) => e.field)).toEqual([
      ['input', 'email'],
      ['input', 'name'],
    ]);
    const signIn = await login('nul\u0000@example.test', PASSWORD);
    expect(signIn.userErrors[0]?.code).toBe('INVALID_CREDENTIALS');
    const entities = await users.request(ENTITIES, {
      representations: [{ __typename: 'User', id: 'a\u0000b' }],
    });
    expect(entities).toMatchObject({ status: 200, data: { _entities: [null] } });
    expect(entities.errors).toBeUndefined();
    expect(await rowCounts()).toEqual(before);
  });

  it('accepts the boundary lengths: a 10- and a 128-character password, a 1- and a 100-character name', async () => {
    for (const [password, name] of [
      ['p'.repeat(10), 'N'],
      ['p'.repeat(128), 'n'.repeat(100)],
    ] as const) {
      const registered = await registerUser(users, { password, name });
      expect(registered.user.name).toBe(name);
    }
  });

  it('answers a missing input field with a GraphQL validation error, not a 500, and writes nothing', async () => {
    const before = await rowCounts();
    const result = await users.request(REGISTER, { input: { email: uniqueEmail(), password: PASSWORD } });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await rowCounts()).toEqual(before);
  });
});
