export type {
  FailureMode,
  LocalIdpOptions,
  LocalKey,
  MintOptions,
  PrivateKey,
  ReceivedRequest,
  SigningAlgorithm,
} from './local-idp.js';
export { createKey, LocalIdp, signRaw, startLocalIdp } from './local-idp.js';
export type {
  AccessTokenRequest,
  OidcProviderHandle,
  OidcProviderOptions,
} from './oidc-provider.js';
export { startOidcProvider } from './oidc-provider.js';
