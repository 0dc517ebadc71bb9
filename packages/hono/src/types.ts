import type { AuthenticatedUser } from '@remem/auth-core';

/**
 * The context variables that `rememAuth` sets: `rememAuth` is the user, or null for an optional
 * route called without a token.
 *
 * @example
 * ```ts
 * type Bindings = { REMEM_AUTH_STATIC_TOKENS: string };
 * const app = new Hono<{ Bindings: Bindings; Variables: RememAuthVariables }>();
 * ```
 */
export interface RememAuthVariables {
  rememAuth: AuthenticatedUser | null;
}

/**
 * A Hono `Env` with the {@link RememAuthVariables}, for `new Hono<RememAuthEnv>()` when the app
 * declares no bindings or variables of its own.
 *
 * @example
 * ```ts
 * const app = new Hono<RememAuthEnv>();
 * app.use('/api/*', rememAuth({ verifier }));
 * app.get('/api/me', (c) => c.json({ subject: c.get('rememAuth')?.subject }));
 * ```
 */
export interface RememAuthEnv {
  Variables: RememAuthVariables;
}
