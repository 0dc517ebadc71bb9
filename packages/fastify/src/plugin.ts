import {
  AuthConfigError,
  type AuthenticatedUser,
  type AuthRequirement,
  authenticateRequest,
  isAuthenticationError,
  loadAuthConfig,
  type RenderOptions,
  renderAuthError,
  type TokenVerifier,
  toVerifier,
} from '@remem/auth-core';
import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  RouteOptions,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import {
  checkRouteConfig,
  type RememAuthOptions,
  type ResolvedOptions,
  type RouteAuthConfig,
  resolveOptions,
  routeRequirement,
} from './options.js';

/** An `onRequest` hook that authenticates the request by the route's `config.rememAuth`. */
export type AuthenticateHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Authenticates the request by the plugin's options and the route's `config.rememAuth`, and
     * stores the user on `request.rememAuth`. Use it as an `onRequest` hook.
     */
    authenticate: AuthenticateHook;
  }
  interface FastifyRequest {
    /**
     * The authenticated user, or null when the route is not authenticated, opted out, or is
     * optional and was called without a token.
     */
    rememAuth: AuthenticatedUser | null;
  }
  interface FastifyContextConfig {
    /** `false` opts the route out. An object makes auth optional or requires scopes. */
    rememAuth?: RouteAuthConfig;
  }
}

const HOOK_NAMES = ['onRequest', 'preParsing', 'preValidation', 'preHandler'] as const;

const plugin: FastifyPluginAsync<RememAuthOptions> = async (fastify, options) => {
  const resolved = resolveOptions(options);
  checkDecoratorsAreFree(fastify, resolved.userProperty);

  const verifier = toVerifier(options.verifier ?? options.config ?? loadAuthConfig());
  const authenticate = createAuthenticateHook(verifier, resolved);

  fastify.decorateRequest(resolved.userProperty, null);
  fastify.decorate('authenticate', authenticate);
  fastify.addHook('onRoute', (route) => {
    checkRouteConfig(route.config?.rememAuth, `${route.method} ${route.url}`);
    if (!resolved.global && wantsAuthentication(route) && !hasHook(route, authenticate)) {
      route.onRequest = [...toArray(route.onRequest), authenticate];
    }
  });
  if (resolved.global) fastify.addHook('onRequest', authenticate);
};

/**
 * The remem-auth Fastify plugin: verifies bearer tokens (static tokens and JWTs from Entra ID,
 * Google or any OIDC issuer) in an `onRequest` hook, before the body is read, and puts the user
 * on `request.rememAuth`. It is wrapped with `fastify-plugin`, so its decorators and hooks apply
 * to the context it is registered in.
 *
 * @throws {AuthConfigError} at registration, for an invalid option or route `config.rememAuth`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { rememAuth } from '@remem/auth-fastify';
 *
 * const app = Fastify();
 * await app.register(rememAuth, { global: true }); // reads REMEM_AUTH_* from process.env
 * app.get('/health', { config: { rememAuth: false } }, async () => ({ ok: true }));
 * app.get('/me', async (request) => ({ subject: request.rememAuth?.subject }));
 * app.get('/notes', { config: { rememAuth: { scopes: ['notes:read'] } } }, async () => []);
 * ```
 */
export const rememAuth = fastifyPlugin(plugin, {
  fastify: '5.x',
  name: '@remem/auth-fastify',
});

function createAuthenticateHook(verifier: TokenVerifier, options: ResolvedOptions) {
  const render: RenderOptions = { format: options.format };
  if (options.realm !== undefined) render.realm = options.realm;
  if (options.resourceMetadata !== undefined) render.resourceMetadata = options.resourceMetadata;
  const property = options.userProperty;
  const defaults = routeRequirement(options);
  const requirements = new WeakMap<object, AuthRequirement>();

  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const slot = request as unknown as Record<string, AuthenticatedUser | null>;
    // A route that lists this hook inside a global plugin runs it twice, so the second run
    // returns at once.
    if (slot[property] !== null || isPreflight(request)) return;

    const requirement = requirementOf(request.routeOptions.config.rememAuth);
    if (requirement === undefined) return;
    try {
      slot[property] = (await authenticateRequest(verifier, request.raw, requirement)) ?? null;
    } catch (error) {
      if (!isAuthenticationError(error) || options.errors === 'throw') throw error;
      const { status, headers, body } = renderAuthError(error, render);
      // The levels of Fastify's default error handler: info for a 4xx, error for a 5xx.
      const level = status >= 500 ? 'error' : 'info';
      request.log[level]({ code: error.code, statusCode: status }, 'authentication failed');
      // A Buffer keeps the core's `content-type` exactly; Fastify appends a charset to a string.
      return reply.code(status).headers(headers).send(Buffer.from(body));
    }
  };

  // Merged once per route, because a route's config object lives as long as the server.
  function requirementOf(route: RouteAuthConfig | undefined): AuthRequirement | undefined {
    if (route === false) return undefined;
    if (route === undefined || route === true) return defaults;
    let requirement = requirements.get(route);
    if (requirement === undefined) {
      requirement = routeRequirement(options, route);
      requirements.set(route, requirement);
    }
    return requirement;
  }
}

// A browser sends a CORS preflight without credentials, so it must never be challenged.
function isPreflight(request: FastifyRequest): boolean {
  return (
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
  );
}

function checkDecoratorsAreFree(fastify: FastifyInstance, property: string): void {
  const problems: string[] = [];
  if (fastify.hasDecorator('authenticate')) {
    problems.push(
      'The Fastify instance already has an "authenticate" decorator: register @remem/auth-fastify once per context (a child context inherits it), or remove the other decorator.',
    );
  }
  if (fastify.hasRequestDecorator(property)) {
    problems.push(
      `Requests already have a "${property}" decorator (another plugin set it); choose another name with the "userProperty" option.`,
    );
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
}

function wantsAuthentication(route: RouteOptions): boolean {
  const value = route.config?.rememAuth;
  return value !== undefined && value !== false;
}

function hasHook(route: RouteOptions, hook: AuthenticateHook): boolean {
  return HOOK_NAMES.some((name) => toArray(route[name] as unknown).includes(hook));
}

function toArray<T>(value: T | readonly T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? [...value] : [value as T];
}
