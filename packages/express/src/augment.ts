/**
 * Opt-in type declaration of `req.rememAuth` on Express's `Request`. Import it once, for its
 * types only, to type the default `userProperty`:
 *
 * ```ts
 * import type {} from '@remem/auth-express/augment';
 * ```
 *
 * With another `userProperty`, declare that name yourself with {@link WithRememAuth} instead.
 *
 * @module
 */
import type { WithRememAuth } from './types.js';

declare global {
  namespace Express {
    interface Request extends WithRememAuth {}
  }
}
