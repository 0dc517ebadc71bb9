import {
  type AuthConfig,
  AuthConfigError,
  isAuthenticationError,
  loadAuthConfig,
  type TokenVerifier,
  toVerifier,
} from '@remem/auth-core';
import { authInfoFactory, type McpAuthInfo } from './auth-info.js';
import { type McpSdkErrors, sdkErrorFactory } from './sdk-errors.js';

/** Options of {@link createTokenVerifier}. */
export interface McpTokenVerifierOptions {
  /**
   * The host SDK's error classes, so that its bearer middleware responds 401 or 403 (never 500):
   * `import * as errors from '@modelcontextprotocol/sdk/server/auth/errors.js'` for SDK 1.x,
   * `{ OAuthError }` from `@modelcontextprotocol/server` for SDK 2.x.
   */
  errors: McpSdkErrors;
  /** A verifier to share, with its key and token caches. Give this or `config`. */
  verifier?: TokenVerifier;
  /** The verifier configuration. Default: the `REMEM_AUTH_*` environment. */
  config?: AuthConfig;
}

/** The MCP SDKs' `OAuthTokenVerifier`: what `requireBearerAuth({ verifier })` accepts. */
export interface McpTokenVerifier {
  verifyAccessToken(token: string): Promise<McpAuthInfo>;
}

/**
 * Creates a token verifier for the bearer middleware of the official MCP SDK:
 * `requireBearerAuth` of `@modelcontextprotocol/sdk` 1.x, and of `@modelcontextprotocol/express`
 * or `@modelcontextprotocol/server` 2.x. It verifies with the core verifier and returns an
 * `AuthInfo` whose `extra.user` is the {@link AuthenticatedUser}.
 *
 * A rejected token becomes the SDK's own `invalid_token` (401) or `insufficient_scope` (403)
 * error, built from the classes in `errors`. Any other error is rethrown unchanged.
 *
 * @throws {AuthConfigError} at creation, for a missing `errors` or an invalid configuration.
 *
 * @example
 * ```ts
 * import * as errors from '@modelcontextprotocol/sdk/server/auth/errors.js';
 * import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
 * import { createTokenVerifier } from '@remem/auth-mcp';
 *
 * const verifier = createTokenVerifier({ errors }); // reads REMEM_AUTH_* from process.env
 * app.post('/mcp', requireBearerAuth({ verifier, requiredScopes: ['mcp:tools'] }), handleMcp);
 * ```
 */
export function createTokenVerifier(options: McpTokenVerifierOptions): McpTokenVerifier {
  checkOptions(options);
  const toSdkError = sdkErrorFactory(options.errors);
  const verifier = toVerifier(options.verifier ?? options.config ?? loadAuthConfig());
  const toAuthInfo = authInfoFactory(verifier);

  return {
    async verifyAccessToken(token) {
      try {
        return toAuthInfo(await verifier.verifyToken(token));
      } catch (error) {
        if (isAuthenticationError(error)) throw toSdkError(error);
        throw error;
      }
    },
  };
}

const OPTION_NAMES = new Set(['errors', 'verifier', 'config']);

function checkOptions(options: McpTokenVerifierOptions): void {
  const problems: string[] = [];
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      problems.push(
        `Unknown option "${name}" of createTokenVerifier(); use "errors", "verifier" or "config".`,
      );
    }
  }
  if (options.verifier !== undefined && options.config !== undefined) {
    problems.push('Options "config" and "verifier" are both set; give only one.');
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
}
