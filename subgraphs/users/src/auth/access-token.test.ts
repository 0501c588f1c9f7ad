import { describe, expect, it } from 'vitest';
import { identityOf } from './access-token.ts';

describe('access-token claims', () => {
  it('maps roles to lower-case scopes and carries the shop id only for a SELLER', () => {
    expect(identityOf({ id: 'u1', roles: ['BUYER', 'SELLER'], sellerId: 's1' })).toEqual({
      userId: 'u1',
      scopes: ['buyer', 'seller'],
      sellerId: 's1',
    });
    expect(identityOf({ id: 'u2', roles: ['BUYER'], sellerId: 's2' })).toEqual({
      userId: 'u2',
      scopes: ['buyer'],
      sellerId: null,
    });
    expect(identityOf({ id: 'u3', roles: ['CARRIER', 'ADMIN'], sellerId: null }).scopes).toEqual([
      'carrier',
      'admin',
    ]);
  });
});
