import {
  type AuthRequirement,
  authenticateRequest,
  isAuthenticationError,
  renderAuthError,
} from '@remem/auth-core';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type RememAuthOptions, resolveOptions } from './options.js';
import type { RememAuthEnv } from './types.js';
import { verifierSource } from './verifier-source.js';

/**
 * Builds a Hono middleware that authenticates the bearer token of each request (a static token,
 * or a JWT from Entra ID, Google or any OIDC issuer) and sets the user as the `rememAuth`
 * context variable. Read it with `c.get('rememAuth')` or `getUser(c)`.
 *
 * The middleware responds to a failure itself, with the status, headers and body that the core's
 * `renderAuthError` returns (in the `default` or `openai` format), so every remem-auth adapter
 * sends the same bytes. Other errors reach the app's `onError`. A CORS preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) passes unauthenticated.
 *
 * @throws {AuthConfigError} at creation, for an invalid option or `REMEM_AUTH_*` variable.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
 * import { rememAuth, type RememAuthEnv } from '@remem/auth-hono';
 *
 * const verifier = new AuthVerifier(loadAuthConfig()); // one key cache for every route
 * const app = new Hono<RememAuthEnv>();
 * app.use('/api/*', rememAuth({ verifier }));
 * app.get('/api/me', (c) => c.json({ subject: c.get('rememAuth')?.subject }));
 * app.get('/api/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (c) => c.json([]));
 * ```
 */
export function rememAuth<E extends Env = Env>(
  options: RememAuthOptions<E> = {},
): MiddlewareHandler<E & RememAuthEnv> {
  const resolved = resolveOptions(options);
  const verifierOf = verifierSource(options);
  const requirement: AuthRequirement = { optional: resolved.optional, scopes: resolved.scopes };

  return createMiddleware<E & RememAuthEnv>(async (c, next) => {
    if (isPreflight(c)) {
      await next();
      return;
    }
    try {
      const user = await authenticateRequest(verifierOf(c as Context<E>), c.req.raw, requirement);
      c.set('rememAuth', user ?? null);
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      const { status, headers, body } = renderAuthError(error, resolved.render);
      // `c.body` keeps the headers that earlier middleware set, such as CORS headers.
      return c.body(body, status as ContentfulStatusCode, headers);
    }
    await next();
  });
}

// A browser sends a CORS preflight without credentials, so it must never be challenged.
function isPreflight(c: Context): boolean {
  return c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
}
