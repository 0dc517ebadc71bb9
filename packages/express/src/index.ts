// Middleware
export type { AuthErrorHandlerOptions } from './error-handler.js';
export { authErrorHandler, install } from './error-handler.js';
export { rememAuth, requireScopes } from './middleware.js';
export type { RememAuthOptions } from './options.js';
// Request typing
export type { WithRememAuth } from './types.js';
export { getUser, requireUser } from './user.js';
