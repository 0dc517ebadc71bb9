// Configuration

// Requests and responses
export type { AdapterOptionRules } from './adapter-options.js';
export { checkAdapterOptions, checkRenderOptions, checkScopes } from './adapter-options.js';
export type { JwsAlgorithm } from './algorithms.js';
export { ASYMMETRIC_ALGORITHMS } from './algorithms.js';
export type { AuthRequirement, TokenVerifier } from './authenticate.js';
export { authenticateRequest, authenticateRequestEagerly, toVerifier } from './authenticate.js';
export type {
  AuthConfig,
  ClaimCheck,
  ClaimCheckContext,
  IdpConfig,
  JwksOptions,
  JwtClaims,
  OptionNames,
  ResolvedAuthConfig,
  ResolvedIdpConfig,
  StaticTokenConfig,
  TokenCacheOptions,
} from './config.js';
export { resolveAuthConfig } from './config.js';
export type { LoadAuthConfigOptions } from './env.js';
export { createAuthConfigFromEnv, ENV_VARIABLES, loadAuthConfig } from './env.js';
export type {
  AuthErrorCode,
  AuthenticationErrorOptions,
  BearerErrorValue,
  ChallengeOptions,
} from './errors.js';
export {
  AuthConfigError,
  AuthenticationError,
  authErrorHeaders,
  bearerChallenge,
  isAuthenticationError,
} from './errors.js';
export type { HeaderSource, HeaderValue, TokenSource } from './extract.js';
export { extractToken } from './extract.js';
// Logging
export type { LogFunction, Logger } from './logger.js';
export { defaultLogger, silentLogger } from './logger.js';
export type { ErrorFormat, RenderedError, RenderOptions } from './render.js';
export { ERROR_FORMATS, renderAuthError } from './render.js';
export type { AuthenticatedUserInit, AuthMethod } from './user.js';
export { AuthenticatedUser, scopesFromClaims } from './user.js';
// Verification
export type { IdpDescription, WarmUpResult } from './verifier.js';
export { AuthVerifier, assertScopes } from './verifier.js';
