import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateKeyPairPem } from '@mp/auth';

export interface Secrets {
  jwtPrivateKey: string;
  jwtPublicKey: string;
  gatewaySecret: string;
}

/**
 * Development secrets, generated on first start and kept in the data directory so tokens survive a
 * restart. Production passes real ones through the environment.
 */
export function loadOrCreateDevSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Secrets;
  const { privateKey, publicKey } = generateKeyPairPem();
  const secrets: Secrets = {
    jwtPrivateKey: privateKey,
    jwtPublicKey: publicKey,
    gatewaySecret: randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
