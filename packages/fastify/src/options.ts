import {
  type AuthConfig,
  AuthConfigError,
  type AuthRequirement,
  checkAdapterOptions,
  checkScopes,
  type ErrorFormat,
  type TokenVerifier,
} from '@remem/auth-core';

/** Options of the plugin, passed as the second argument of `fastify.register`. */
export interface RememAuthOptions {
  /**
   * The verifier configuration. Default: read from the `REMEM_AUTH_*` environment with
   * `loadAuthConfig()`. Give either this or {@link RememAuthOptions.verifier}.
   */
  config?: AuthConfig;
  /** A verifier to share (with its key and token caches) between several plugins or servers. */
  verifier?: TokenVerifier;
  /**
   * Authenticate every route of the context the plugin is registered in, and the 404 handler,
   * with an `onRequest` hook. A route opts out with `config: { rememAuth: false }`. Default false:
   * only routes that set `config.rememAuth` or list `fastify.authenticate` in a hook.
   */
  global?: boolean;
  /** Let requests without a token through (with `request.rememAuth` null). Default false. */
  optional?: boolean;
  /** Scopes that every authenticated route requires. A route's own `scopes` add to these. */
  scopes?: readonly string[];
  /** Body shape of failures when {@link RememAuthOptions.errors} is `reply`. Default `default`. */
  format?: ErrorFormat;
  /**
   * How an authentication failure is sent.
   * - `reply` (default): the plugin sends the core's rendering (`{"detail":...}` or the OpenAI
   *   error object) with its status and `WWW-Authenticate` header.
   * - `throw`: the hook throws the core's `AuthenticationError`, so the error handler of the
   *   route's context receives it. Fastify's default handler answers with the error's status and
   *   headers and its own body shape.
   */
  errors?: 'reply' | 'throw';
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** The RFC 9728 `resource_metadata` URL sent in the `WWW-Authenticate` challenge. */
  resourceMetadata?: string;
  /**
   * Name of the request property that stores the user. Default `rememAuth`.
   *
   * NOTE: the type declaration covers `rememAuth` only, so declare another name on
   * `FastifyRequest` yourself.
   */
  userProperty?: string;
}

/** A route's authentication setting in `config.rememAuth`: `false` opts the route out. */
export type RouteAuthConfig = boolean | RouteAuthRequirement;

/** A route's own requirement, merged over the plugin's options. */
export interface RouteAuthRequirement {
  /** Let a request without a token through. Overrides the plugin's `optional`. */
  optional?: boolean;
  /** Scopes this route requires in addition to the plugin's `scopes`. */
  scopes?: readonly string[];
}

/** The options after validation, with every default applied. */
export interface ResolvedOptions {
  global: boolean;
  optional: boolean;
  scopes: readonly string[];
  format: ErrorFormat;
  errors: 'reply' | 'throw';
  realm: string | undefined;
  resourceMetadata: string | undefined;
  userProperty: string;
}

const OPTION_NAMES = new Set([
  'config',
  'verifier',
  'global',
  'optional',
  'scopes',
  'format',
  'errors',
  'realm',
  'resourceMetadata',
  'userProperty',
  // Fastify passes its own register options to the plugin too.
  'prefix',
  'logLevel',
  'logSerializers',
]);

const ERROR_MODES = ['reply', 'throw'] as const;
const PROPERTY_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Checks the plugin's options and applies the defaults.
 *
 * @throws {AuthConfigError} listing every invalid option with its fix.
 */
export function resolveOptions(options: RememAuthOptions): ResolvedOptions {
  const problems: string[] = [];
  const input = options as Record<string, unknown>;

  for (const name of Object.keys(input)) {
    if (!OPTION_NAMES.has(name)) {
      problems.push(`Unknown option "${name}" of @remem/auth-fastify; remove it or fix its name.`);
    }
  }
  if (input.global !== undefined && typeof input.global !== 'boolean') {
    problems.push('Option "global" must be true or false.');
  }
  checkAdapterOptions(input, problems);
  if (input.errors !== undefined && !ERROR_MODES.includes(input.errors as 'reply')) {
    problems.push(`Option "errors" must be one of ${ERROR_MODES.map(quote).join(', ')}.`);
  }
  if (
    input.userProperty !== undefined &&
    (typeof input.userProperty !== 'string' || !PROPERTY_NAME.test(input.userProperty))
  ) {
    problems.push('Option "userProperty" must be a JavaScript identifier, such as "rememAuth".');
  }

  if (problems.length > 0) throw new AuthConfigError(problems);
  return {
    global: options.global ?? false,
    optional: options.optional ?? false,
    scopes: options.scopes ?? [],
    format: options.format ?? 'default',
    errors: options.errors ?? 'reply',
    realm: options.realm,
    resourceMetadata: options.resourceMetadata,
    userProperty: options.userProperty ?? 'rememAuth',
  };
}

/**
 * Checks the `config.rememAuth` value of one route.
 *
 * @throws {AuthConfigError} naming the route and the fix.
 */
export function checkRouteConfig(value: unknown, route: string): void {
  if (value === undefined || typeof value === 'boolean') return;

  const where = `config.rememAuth of route ${route}`;
  const problems: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${where} must be true, false or { optional, scopes }.`);
  } else {
    const requirement = value as Record<string, unknown>;
    for (const name of Object.keys(requirement)) {
      if (name !== 'optional' && name !== 'scopes') {
        problems.push(`${where} has an unknown key "${name}"; use "optional" or "scopes".`);
      }
    }
    if (requirement.optional !== undefined && typeof requirement.optional !== 'boolean') {
      problems.push(`${where}: "optional" must be true or false.`);
    }
    checkScopes(requirement.scopes, `${where}: "scopes"`, problems);
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
}

/** Merges a route's `config.rememAuth` object over the plugin's options. */
export function routeRequirement(
  options: ResolvedOptions,
  route: RouteAuthRequirement = {},
): AuthRequirement {
  const scopes =
    route.scopes === undefined || route.scopes.length === 0
      ? options.scopes
      : [...options.scopes, ...route.scopes];
  return { optional: route.optional ?? options.optional, scopes };
}

function quote(value: string): string {
  return `"${value}"`;
}
