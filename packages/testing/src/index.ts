export type { FailureCase } from './failure-cases.js';
export { failureCases } from './failure-cases.js';
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
export type {
  ParityCase,
  ParityExpectation,
  ParityResult,
  ParityRunOptions,
  ParityServer,
} from './parity.js';
export { runParityCases } from './parity.js';
export { parityCases } from './parity-cases.js';
