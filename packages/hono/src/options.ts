import {
  type AuthConfig,
  AuthConfigError,
  checkAdapterOptions,
  type ErrorFormat,
  type RenderOptions,
  type TokenVerifier,
} from '@remem/auth-core';
import type { Context, Env } from 'hono';

/**
 * Builds the verifier configuration, or a verifier, from the request context. On Cloudflare
 * Workers the configuration lives in the bindings, so read it from `c.env`.
 */
export type ConfigFromContext<E extends Env = Env> = (c: Context<E>) => AuthConfig | TokenVerifier;

/** Options of {@link rememAuth}. */
export interface RememAuthOptions<E extends Env = Env> {
  /**
   * The verifier configuration: an `AuthConfig`, or a function that builds it from the context
   * (for Workers, from `c.env`). The function runs on the first request that carries a new `c.env`
   * object, and the verifier it yields is reused for that object. Default: `loadAuthConfig()`,
   * which reads `REMEM_AUTH_*` from `process.env`. Give either this or
   * {@link RememAuthOptions.verifier}.
   */
  config?: AuthConfig | ConfigFromContext<E>;
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
   * Body shape of failures. Default `default` (`{"detail":"..."}`); `openai` sends the OpenAI
   * error object.
   */
  format?: ErrorFormat;
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** The RFC 9728 `resource_metadata` URL sent in the `WWW-Authenticate` challenge. */
  resourceMetadata?: string;
}

/** The options after validation, with every default applied. */
export interface ResolvedOptions {
  optional: boolean;
  scopes: readonly string[];
  render: RenderOptions;
}

const OPTION_NAMES = new Set([
  'config',
  'verifier',
  'optional',
  'scopes',
  'format',
  'realm',
  'resourceMetadata',
]);

/**
 * Checks the middleware's options and applies the defaults.
 *
 * @throws {AuthConfigError} listing every invalid option with its fix.
 */
export function resolveOptions<E extends Env>(options: RememAuthOptions<E>): ResolvedOptions {
  const input = options as Record<string, unknown>;
  const problems: string[] = [];

  for (const name of Object.keys(input)) {
    if (!OPTION_NAMES.has(name)) {
      problems.push(`Unknown option "${name}" of @remem/auth-hono; remove it or fix its name.`);
    }
  }
  checkAdapterOptions(input, problems, { configMayBeFunction: true });
  if (problems.length > 0) throw new AuthConfigError(problems);

  const render: RenderOptions = { format: options.format ?? 'default' };
  if (options.realm !== undefined) render.realm = options.realm;
  if (options.resourceMetadata !== undefined) render.resourceMetadata = options.resourceMetadata;
  return { optional: options.optional ?? false, scopes: options.scopes ?? [], render };
}
