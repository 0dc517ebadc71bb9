// Module

// Guard and decorators
export {
  OPTIONAL_KEY,
  OptionalAuth,
  PUBLIC_KEY,
  Public,
  RequireScopes,
  SCOPES_KEY,
} from './decorators.js';
// Failures
export { RememAuthException } from './exception.js';
export { RememAuthExceptionFilter } from './exception-filter.js';
export type { AuthenticatableRequest } from './guard.js';
export { RememAuthGuard } from './guard.js';
export type {
  RememAuthModuleAsyncOptions,
  RememAuthModuleExtras,
  RememAuthModuleRootOptions,
} from './module.js';
export { RememAuthModule } from './module.js';
export type { RememAuthModuleOptions, RememAuthSettings } from './options.js';
export { REMEM_AUTH_SETTINGS } from './tokens.js';
export { CurrentUser, getAuthenticatedUser } from './user.js';
