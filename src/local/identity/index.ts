/**
 * The local identity provider (provider.ts: keys, minting, verification; http.ts: JWKS, discovery and minting
 * under `/_aws/identity/`). Data-plane authorizers verify tokens through `IdentityProvider`: Cognito user-pool
 * tokens with `verifyPoolToken`, JWTs of an issuer URL (HTTP API JWT authorizers) with `verifyIssuerToken`.
 */
export {isIdentityRequest, serveIdentity} from './http.ts'
export {
  IDENTITY_NAME,
  IDENTITY_PREFIX,
  type IdentityKind,
  IdentityProvider,
  localIssuerName,
  localIssuerUrl,
  type MintInput,
  type MintResult,
  poolIssuer,
  TokenRejected,
} from './provider.ts'
