import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Current parameters: N=2^15, r=8, p=1 needs 128·N·r = 32 MiB per hash, so maxmem is raised above it. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Bound for parameters read back from the database, so a corrupt row cannot make one login allocate
// gigabytes or run for minutes. Raise it together with SCRYPT_PARAMS.
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_P = 4;

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function scrypt(
  password: string,
  salt: Buffer,
  keyLength: number,
  params: { N: number; r: number; p: number },
) {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Hashes a password as `scrypt$N$r$p$<salt base64url>$<hash base64url>`: the string says how to verify it. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scrypt(password, salt, KEY_BYTES, SCRYPT_PARAMS);
  const { N, r, p } = SCRYPT_PARAMS;
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

function parse(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1 || p > MAX_P) return null;
  if (128 * N * r > MAX_MEMORY_BYTES) return null;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const hash = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || hash.length === 0) return null;
  return { N, r, p, salt, hash };
}

/**
 * True when `password` matches `stored`, compared in constant time. A malformed stored string is a
 * mismatch (never an exception), after spending the usual KDF time anyway.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) {
    await spendKdfTime(password);
    return false;
  }
  const candidate = await scrypt(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when `stored` was made with other parameters than today's, so a successful login should rehash. */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  const { N, r, p } = SCRYPT_PARAMS;
  if (!parsed) return true;
  const sameParams = parsed.N === N && parsed.r === r && parsed.p === p;
  return !sameParams || parsed.hash.length !== KEY_BYTES || parsed.salt.length !== SALT_BYTES;
}

const dummySalt = randomBytes(SALT_BYTES);

/**
 * Runs the KDF once with today's parameters and throws the result away: a login for an unknown email
 * takes as long as one with a wrong password, so response time does not reveal who has an account.
 */
export async function spendKdfTime(password: string): Promise<void> {
  await scrypt(password, dummySalt, KEY_BYTES, SCRYPT_PARAMS);
}
