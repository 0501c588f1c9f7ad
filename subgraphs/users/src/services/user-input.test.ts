import { describe, expect, it } from 'vitest';
import { checkRegistration, normaliseEmail } from './user-input.ts';

const valid = { email: 'Ada@Example.TEST', password: 'long enough pw', name: ' Ada ' };

describe('registration input', () => {
  it('normalises email to trimmed lower case and trims the name', () => {
    expect(checkRegistration({ ...valid, email: '  Ada@Example.TEST ' })).toEqual({
      ok: true,
      value: { email: 'ada@example.test', password: 'long enough pw', name: 'Ada' },
    });
    expect(normaliseEmail(' X@Y.Z ')).toBe('x@y.z');
  });

  it.each([
    'plain',
    'a@b',
    '@example.test',
    'a@.test',
    'a@b..test',
    'a b@example.test',
    'nul\u0000@example.test',
    'a@b@example.test',
    `${'l'.repeat(65)}@example.test`,
  ])('rejects the email %j', (email) => {
    const result = checkRegistration({ ...valid, email });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.field)).toEqual([['input', 'email']]);
  });

  it('rejects control characters in a name, naming them escaped', () => {
    const result = checkRegistration({ ...valid, name: 'Bell\u0007' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]!.message).toContain('"Bell\\u0007"');
  });

  it('accepts exactly 254 characters of email and rejects 255, naming the length', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(184)}.test`;
    expect(at254).toHaveLength(254);
    expect(checkRegistration({ ...valid, email: at254 }).ok).toBe(true);
    const result = checkRegistration({ ...valid, email: `${'a'.repeat(64)}@${'b'.repeat(185)}.test` });
    expect(result.ok || result.errors[0]!.message).toContain('got 255');
  });

  it('counts characters, not UTF-16 units: 10 emoji are a 10-character password, 100 emoji a 100-character name', () => {
    expect(checkRegistration({ ...valid, password: '🔑'.repeat(10), name: '🙂'.repeat(100) }).ok).toBe(true);
    expect(checkRegistration({ ...valid, password: '🔑'.repeat(9) }).ok).toBe(false);
  });

  it('reports every problem at once with its field and the offending length', () => {
    const result = checkRegistration({ email: 'nope', password: 'short', name: '   ' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'email'], 'INVALID_INPUT'],
      [['input', 'password'], 'INVALID_INPUT'],
      [['input', 'name'], 'INVALID_INPUT'],
    ]);
    expect(result.errors[0]!.message).toContain('"nope"');
    expect(result.errors[1]!.message).toContain('got 5');
    expect(result.errors[2]!.message).toContain('got 0');
  });
});
