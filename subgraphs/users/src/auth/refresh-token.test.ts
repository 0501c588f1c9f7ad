import { describe, expect, it } from 'vitest';
import { generateRefreshToken, hashRefreshToken, looksLikeRefreshToken } from './refresh-token.ts';

describe('refresh tokens', () => {
  it('are 32 random bytes in base64url, distinct every time, and recognisable by shape', () => {
    const tokens = new Set(Array.from({ length: 100 }, generateRefreshToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      expect(looksLikeRefreshToken(token)).toBe(true);
    }
    expect(looksLikeRefreshToken('short')).toBe(false);
    expect(looksLikeRefreshToken(`${generateRefreshToken()}=`)).toBe(false);
  });

  it('are stored as their SHA-256 in hex', () => {
    expect(hashRefreshToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
