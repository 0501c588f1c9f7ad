export { SCOPES, isScope } from './identity.ts';
export type { Identity, Scope } from './identity.ts';
export { generateKeyPairPem, importPrivateKey, importPublicKey } from './keys.ts';
export {
  InvalidTokenError,
  bearerToken,
  createAccessTokenSigner,
  createAccessTokenVerifier,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from './access-token.ts';
export type { AccessTokenVerifier } from './access-token.ts';
export {
  GATEWAY_CREDENTIAL_HEADER,
  createGatewayCredentialSigner,
  createGatewayCredentialVerifier,
} from './gateway-credential.ts';
