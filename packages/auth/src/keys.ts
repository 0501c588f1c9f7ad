import { generateKeyPairSync } from 'node:crypto';
import { importPKCS8, importSPKI, type CryptoKey } from 'jose';

export const ACCESS_TOKEN_ALG = 'EdDSA';

/** Environment variables often carry PEMs with literal `\n`; accept both forms. */
function normalisePem(pem: string): string {
  return pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
}

export function importPublicKey(pem: string): Promise<CryptoKey> {
  return importSPKI(normalisePem(pem), ACCESS_TOKEN_ALG);
}

export function importPrivateKey(pem: string): Promise<CryptoKey> {
  return importPKCS8(normalisePem(pem), ACCESS_TOKEN_ALG);
}

/** An Ed25519 key pair as PEM strings, for development and tests. */
export function generateKeyPairPem(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKey, publicKey };
}
