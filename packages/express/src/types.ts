import type { AuthenticatedUser } from '@remem/auth-core';

/**
 * The request property that `rememAuth` stores the user in: the user, null for an optional route
 * called without a token, or undefined before any `rememAuth` middleware ran. Extend Express's
 * `Request` with it to type a custom `userProperty`.
 *
 * @example
 * ```ts
 * declare global {
 *   namespace Express {
 *     interface Request extends WithRememAuth<'caller'> {}
 *   }
 * }
 * app.use(rememAuth({ verifier, userProperty: 'caller' }));
 * ```
 */
export type WithRememAuth<Property extends string = 'rememAuth'> = {
  [Name in Property]?: AuthenticatedUser | null;
};
