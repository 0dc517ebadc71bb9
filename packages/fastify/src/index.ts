export type {
  RememAuthOptions,
  RouteAuthConfig,
  RouteAuthRequirement,
} from './options.js';
export type { AuthenticateHook } from './plugin.js';
export { rememAuth } from './plugin.js';
