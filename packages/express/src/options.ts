import { IncomingMessage } from 'node:http';
import {
  type AuthConfig,
  AuthConfigError,
  checkAdapterOptions,
  checkScopes,
  type ErrorFormat,
  type RenderOptions,
  type TokenVerifier,
} from '@remem/auth-core';

/** Options of {@link rememAuth}. */
export interface RememAuthOptions {
  /**
   * The verifier configuration. Default: read from the `REMEM_AUTH_*` environment with
   * `loadAuthConfig()`. Give either this or {@link RememAuthOptions.verifier}.
   */
  config?: AuthConfig;
  /**
   * A verifier to share, with its key and token caches, between several middlewares. Without
   * it, each `rememAuth()` call builds its own verifier.
   */
  verifier?: TokenVerifier;
  /** Let requests without a token through, with the user set to null. Default false. */
  optional?: boolean;
  /** Scopes the token must all have (403 `insufficient_scope` otherwise). */
  scopes?: readonly string[];
  /**
   * Body shape of this middleware's failures when the error handler of {@link authErrorHandler}
   * renders them. Default: the handler's own `format`.
   */
  format?: ErrorFormat;
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** The RFC 9728 `resource_metadata` URL sent in the `WWW-Authenticate` challenge. */
  resourceMetadata?: string;
  /**
   * Name of the request property that also stores the user. Default `rememAuth`, a name that
   * other libraries' `req.auth` and `req.user` cannot clash with. `getUser(req)` works whatever
   * the name.
   */
  userProperty?: string;
}

/** The options after validation, with every default applied. */
export interface ResolvedOptions {
  optional: boolean;
  scopes: readonly string[];
  /** The render options this middleware sets; unset keys fall back to the error handler's. */
  render: RenderOptions;
  userProperty: string;
}

const OPTION_NAMES = new Set([
  'config',
  'verifier',
  'optional',
  'scopes',
  'format',
  'realm',
  'resourceMetadata',
  'userProperty',
]);

// Properties that Express 4 or 5 defines on its request object, which a user must not replace.
const EXPRESS_REQUEST_PROPERTIES = new Set([
  'accepted',
  'accepts',
  'acceptsCharsets',
  'acceptsEncodings',
  'acceptsLanguages',
  'app',
  'baseUrl',
  'body',
  'cookies',
  'fresh',
  'get',
  'header',
  'host',
  'hostname',
  'ip',
  'ips',
  'is',
  'next',
  'originalUrl',
  'param',
  'params',
  'path',
  'protocol',
  'query',
  'range',
  'res',
  'route',
  'secure',
  'signedCookies',
  'stale',
  'subdomains',
  'xhr',
]);

const PROPERTY_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Checks the middleware's options and applies the defaults.
 *
 * @throws {AuthConfigError} listing every invalid option with its fix.
 */
export function resolveOptions(options: RememAuthOptions): ResolvedOptions {
  const input = options as Record<string, unknown>;
  const problems: string[] = [];

  for (const name of Object.keys(input)) {
    if (!OPTION_NAMES.has(name)) {
      problems.push(`Unknown option "${name}" of @remem/auth-express; remove it or fix its name.`);
    }
  }
  checkAdapterOptions(input, problems);
  checkUserProperty(input.userProperty, problems);

  if (problems.length > 0) throw new AuthConfigError(problems);
  const render: RenderOptions = {};
  if (options.format !== undefined) render.format = options.format;
  if (options.realm !== undefined) render.realm = options.realm;
  if (options.resourceMetadata !== undefined) render.resourceMetadata = options.resourceMetadata;
  return {
    optional: options.optional ?? false,
    scopes: options.scopes ?? [],
    render,
    userProperty: options.userProperty ?? 'rememAuth',
  };
}

/**
 * Checks a list of scopes given to the middleware or to `requireScopes`.
 *
 * @throws {AuthConfigError} naming the invalid entry.
 */
export function checkScopeList(value: unknown, label: string): void {
  const problems: string[] = [];
  checkScopes(value, label, problems);
  if (problems.length > 0) throw new AuthConfigError(problems);
}

function checkUserProperty(value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !PROPERTY_NAME.test(value)) {
    problems.push('Option "userProperty" must be a JavaScript identifier, such as "rememAuth".');
    return;
  }
  // `in` also finds names inherited from Object.prototype, such as `constructor`.
  if (EXPRESS_REQUEST_PROPERTIES.has(value) || value in IncomingMessage.prototype) {
    problems.push(
      `Option "userProperty" is "${value}", which Node or Express already defines on the request; choose another name, such as "rememAuth".`,
    );
  }
}
