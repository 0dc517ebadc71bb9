import {
  type AuthConfig,
  AuthConfigError,
  type AuthenticatedUser,
  type AuthRequirement,
  authenticateRequest,
  checkAdapterOptions,
  type ErrorFormat,
  type extractToken,
  isAuthenticationError,
  loadAuthConfig,
  type RenderedError,
  type RenderOptions,
  renderAuthError,
  type TokenVerifier,
  toVerifier,
} from '@remem/auth-core';
import { authInfoFactory, type McpAuthInfo } from './auth-info.js';

/** Options of the gates that send failure responses themselves: Node, Fetch and FastMCP. */
export interface McpGateOptions {
  /** A verifier to share, with its key and token caches. Give this or `config`. */
  verifier?: TokenVerifier;
  /** The verifier configuration. Default: the `REMEM_AUTH_*` environment. */
  config?: AuthConfig;
  /** Scopes the token must all have (403 `insufficient_scope` naming them otherwise). */
  scopes?: readonly string[];
  /**
   * The RFC 9728 metadata URL of this server, sent as `resource_metadata` in every challenge so
   * that MCP clients can find the authorization server. Build it with
   * `protectedResourceMetadataUrl(resource)`.
   */
  resourceMetadata?: string;
  /** The `realm` of the `WWW-Authenticate` challenge. */
  realm?: string;
  /** Body shape of failures: `default` (`{"detail":"..."}`) or `openai`. Default `default`. */
  format?: ErrorFormat;
}

/** The outcome of authenticating one request. */
export type GateResult =
  | { ok: true; authInfo: McpAuthInfo | undefined }
  | { ok: false; response: RenderedError };

/** Authenticates requests for one gate, with its options checked once. */
export type Gate = (request: Parameters<typeof extractToken>[0]) => Promise<GateResult>;

/**
 * Checks a gate's options and returns the function that authenticates a request: the core
 * extracts the token, verifies it and checks scopes, and a failure is rendered by the core.
 *
 * @throws {AuthConfigError} for an invalid option or `REMEM_AUTH_*` variable.
 */
export function createGate(
  options: McpGateOptions & { optional?: boolean },
  gateName: string,
  optionNames: readonly string[],
): Gate {
  checkGateOptions(options, gateName, optionNames);
  const verifier = toVerifier(options.verifier ?? options.config ?? loadAuthConfig());
  const toAuthInfo = authInfoFactory(verifier, { resourceMetadataUrl: options.resourceMetadata });
  const requirement: AuthRequirement = {
    optional: options.optional ?? false,
    scopes: options.scopes ?? [],
  };
  const render: RenderOptions = { format: options.format ?? 'default' };
  if (options.realm !== undefined) render.realm = options.realm;
  if (options.resourceMetadata !== undefined) render.resourceMetadata = options.resourceMetadata;

  return async (request) => {
    let user: AuthenticatedUser | undefined;
    try {
      user = await authenticateRequest(verifier, request, requirement);
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      return { ok: false, response: renderAuthError(error, render) };
    }
    return { ok: true, authInfo: user === undefined ? undefined : toAuthInfo(user) };
  };
}

function checkGateOptions(
  options: McpGateOptions & { optional?: boolean },
  gateName: string,
  optionNames: readonly string[],
): void {
  const input = options as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(input)) {
    if (!optionNames.includes(name)) {
      const known = optionNames.map((known) => `"${known}"`).join(', ');
      problems.push(`Unknown option "${name}" of ${gateName}; use one of ${known}.`);
    }
  }
  checkAdapterOptions(input, problems);
  if (typeof input.resourceMetadata === 'string' && !URL.canParse(input.resourceMetadata)) {
    problems.push(
      'Option "resourceMetadata" must be an absolute URL, such as protectedResourceMetadataUrl("https://mcp.example.com/mcp") returns.',
    );
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
}

/** Options every gate accepts. */
export const GATE_OPTION_NAMES = [
  'verifier',
  'config',
  'scopes',
  'resourceMetadata',
  'realm',
  'format',
] as const;
