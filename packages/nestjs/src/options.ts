import {
  type AuthConfig,
  AuthConfigError,
  checkAdapterOptions,
  checkScopes,
  type ErrorFormat,
  loadAuthConfig,
  type RenderOptions,
  type TokenVerifier,
  toVerifier,
} from '@remem/auth-core';

/** Options of `RememAuthModule.forRoot()`, or the value that `forRootAsync()`'s factory returns. */
export interface RememAuthModuleOptions {
  /**
   * The verifier configuration. Default: read from the `REMEM_AUTH_*` environment with
   * `loadAuthConfig()`. Give either this or {@link RememAuthModuleOptions.verifier}.
   */
  config?: AuthConfig;
  /** A verifier to share (with its key and token caches) with other adapters or modules. */
  verifier?: TokenVerifier;
  /** Let requests without a token through (with no user). `@OptionalAuth()` sets it per route. */
  optional?: boolean;
  /** Scopes that every authenticated route requires. `@RequireScopes()` adds to these. */
  scopes?: readonly string[];
  /** Body shape of failures: `default` (`{"detail":...}`, the default) or `openai`. */
  format?: ErrorFormat;
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** The RFC 9728 `resource_metadata` URL sent in the `WWW-Authenticate` challenge. */
  resourceMetadata?: string;
  /**
   * Name of the request property that stores the user, besides `@CurrentUser()`. Default
   * `rememAuth`, as in the Express and Fastify adapters.
   */
  userProperty?: string;
}

/** Settings the guard and the exception filter share: the verifier and the checked options. */
export interface RememAuthSettings {
  verifier: TokenVerifier;
  optional: boolean;
  scopes: readonly string[];
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

const PROPERTY_NAME = /^[A-Za-z_$][\w$]*$/;

/**
 * Checks the module's options, applies the defaults and builds the verifier.
 *
 * @throws {AuthConfigError} listing every invalid option with its fix.
 */
export function resolveSettings(options: RememAuthModuleOptions | undefined): RememAuthSettings {
  const input = (options ?? {}) as Record<string, unknown>;
  const problems: string[] = [];

  for (const name of Object.keys(input)) {
    if (!OPTION_NAMES.has(name)) {
      problems.push(`Unknown option "${name}" of @remem/auth-nestjs; remove it or fix its name.`);
    }
  }
  checkAdapterOptions(input, problems);
  if (
    input.userProperty !== undefined &&
    (typeof input.userProperty !== 'string' || !PROPERTY_NAME.test(input.userProperty))
  ) {
    problems.push('Option "userProperty" must be a JavaScript identifier, such as "rememAuth".');
  }
  if (problems.length > 0) throw new AuthConfigError(problems);

  const resolved = options ?? {};
  const render: RenderOptions = { format: resolved.format ?? 'default' };
  if (resolved.realm !== undefined) render.realm = resolved.realm;
  if (resolved.resourceMetadata !== undefined) render.resourceMetadata = resolved.resourceMetadata;
  return {
    verifier: toVerifier(resolved.verifier ?? resolved.config ?? loadAuthConfig()),
    optional: resolved.optional ?? false,
    scopes: resolved.scopes ?? [],
    render,
    userProperty: resolved.userProperty ?? 'rememAuth',
  };
}

/**
 * Checks the scopes given to `@RequireScopes()` or the `scopes` option.
 *
 * @throws {AuthConfigError} naming the invalid scope.
 */
export function assertScopeList(value: unknown, label: string): void {
  const problems: string[] = [];
  checkScopes(value, label, problems);
  if (problems.length > 0) throw new AuthConfigError(problems);
}

function _quote(value: string): string {
  return `"${value}"`;
}
