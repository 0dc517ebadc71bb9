import {
  type AuthenticatedUser,
  type AuthRequirement,
  assertScopes,
  authErrorHeaders,
  authenticateRequestEagerly,
  isAuthenticationError,
  loadAuthConfig,
  type RenderOptions,
  type TokenVerifier,
  toVerifier,
} from '@remem/auth-core';
import type { NextFunction, Request, RequestHandler } from 'express';
import { checkScopeList, type RememAuthOptions, resolveOptions } from './options.js';
import { readState, writeState } from './request-state.js';

/**
 * Builds an Express middleware that authenticates the bearer token of each request (a static
 * token, or a JWT from Entra ID, Google or any OIDC issuer) and stores the user on the request.
 * Read it with `getUser(req)`, or from `req.rememAuth` (see `userProperty`).
 *
 * A failure goes to `next(error)` with the core's `AuthenticationError`. Express's own final
 * handler responds with the error's status and `WWW-Authenticate` header. Add
 * `authErrorHandler()` after the routes for a JSON body in the `default` or `openai` format.
 * A CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) passes unauthenticated.
 *
 * @throws {AuthConfigError} at creation, for an invalid option or `REMEM_AUTH_*` variable.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { AuthVerifier, loadAuthConfig } from '@remem/auth-core';
 * import { authErrorHandler, getUser, rememAuth } from '@remem/auth-express';
 *
 * const verifier = new AuthVerifier(loadAuthConfig()); // one key cache for every route
 * const app = express();
 * app.get('/me', rememAuth({ verifier }), (req, res) => {
 *   res.json({ subject: getUser(req)?.subject });
 * });
 * app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (req, res) => res.json([]));
 * app.use(authErrorHandler());
 * ```
 */
export function rememAuth(options: RememAuthOptions = {}): RequestHandler {
  const resolved = resolveOptions(options);
  const verifier = toVerifier(options.verifier ?? options.config ?? loadAuthConfig());
  const requirement: AuthRequirement = { optional: resolved.optional, scopes: resolved.scopes };
  const property = resolved.userProperty;

  const accept = (request: Request, user: AuthenticatedUser | null, next: NextFunction): void => {
    writeState(request, { user, verifier, render: resolved.render });
    (request as unknown as Record<string, unknown>)[property] = user;
    next();
  };
  const reject = (request: Request, error: unknown, next: NextFunction): void => {
    // An earlier middleware's user stays with the verifier that authenticated it, so a later
    // middleware with this verifier does not take that user as its own.
    const earlier = readState(request);
    writeState(request, {
      user: earlier?.user ?? null,
      verifier: earlier?.verifier ?? verifier,
      render: resolved.render,
    });
    forward(error, resolved.render, next);
  };

  return function rememAuthMiddleware(request, _response, next) {
    if (isPreflight(request)) {
      next();
      return;
    }
    let result: AuthenticatedUser | null | Promise<AuthenticatedUser | null>;
    try {
      result = authenticate(request, verifier, requirement);
    } catch (error) {
      reject(request, error, next);
      return;
    }
    if (result instanceof Promise) {
      // Express 4 ignores a rejected promise, so this function settles it and returns nothing.
      result.then(
        (user) => accept(request, user, next),
        (error: unknown) => reject(request, error, next),
      );
      return;
    }
    accept(request, result, next);
  };
}

/**
 * Builds a middleware that requires scopes of the user that an earlier `rememAuth` middleware
 * authenticated, and fails with a 403 `insufficient_scope` otherwise. Use it to add scopes per
 * route under a router-wide `rememAuth`.
 *
 * @throws {AuthConfigError} at creation, for a scope that is not an RFC 6750 scope token.
 *
 * @example
 * ```ts
 * app.use('/api', rememAuth({ verifier }));
 * app.get('/api/notes', requireScopes('notes:read'), (req, res) => res.json([]));
 * ```
 */
export function requireScopes(...scopes: string[]): RequestHandler {
  checkScopeList(scopes, 'requireScopes()');

  return function requireScopesMiddleware(request, _response, next) {
    if (isPreflight(request)) {
      next();
      return;
    }
    const state = readState(request);
    if (state === undefined) {
      next(
        new Error(
          'requireScopes() ran before any rememAuth() middleware on this request; mount rememAuth() first.',
        ),
      );
      return;
    }
    // With no user (an optional route without a token), the core rejects the missing token.
    const reject = (error: unknown): void => forward(error, state.render, next);
    let result: AuthenticatedUser | null | Promise<AuthenticatedUser | null>;
    try {
      result = authenticate(request, state.verifier, { scopes });
    } catch (error) {
      reject(error);
      return;
    }
    if (result instanceof Promise) result.then(() => next(), reject);
    else next();
  };
}

// Returns the user without a promise when nothing needs verifying, so a repeated token
// reaches the route in the same tick.
function authenticate(
  request: Request,
  verifier: TokenVerifier,
  requirement: AuthRequirement,
): AuthenticatedUser | null | Promise<AuthenticatedUser | null> {
  // A user that this verifier already authenticated on this request (a router-wide middleware
  // and a route's own) is not verified twice. A user from another verifier is not trusted here.
  const state = readState(request);
  if (state?.user != null && state.verifier === verifier) {
    assertScopes(state.user, requirement.scopes ?? []);
    return state.user;
  }
  const result = authenticateRequestEagerly(verifier, request, requirement);
  return result instanceof Promise ? result.then((user) => user ?? null) : (result ?? null);
}

function forward(error: unknown, render: RenderOptions, next: NextFunction): void {
  // Express's final handler copies `error.headers` into the response, so the challenge must
  // carry this middleware's realm and resource metadata already.
  if (
    isAuthenticationError(error) &&
    (render.realm !== undefined || render.resourceMetadata !== undefined)
  ) {
    Object.defineProperty(error, 'headers', {
      value: authErrorHeaders(error, render),
      configurable: true,
      enumerable: true,
    });
  }
  next(error);
}

// A browser sends a CORS preflight without credentials, so it must never be challenged.
function isPreflight(request: Request): boolean {
  return (
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
  );
}
