// Middleware
export { rememAuth } from './middleware.js';
export type { ConfigFromContext, RememAuthOptions } from './options.js';
// Context typing
export type { RememAuthEnv, RememAuthVariables } from './types.js';
export { getUser, requireUser } from './user.js';
