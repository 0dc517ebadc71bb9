import type { McpAuthInfo } from './auth-info.js';
import { createGate, GATE_OPTION_NAMES, type McpGateOptions } from './gate-options.js';
import { isPreflight } from './preflight.js';

/** Options of {@link mcpFetchAuth}. */
export interface McpFetchAuthOptions extends McpGateOptions {
  /** Resolve to `undefined` for a request without a token; a token sent must be valid. */
  optional?: boolean;
}

/**
 * Authenticates a Fetch `Request`: resolves to its `AuthInfo`, to a ready `Response` when the
 * request must be refused, or to `undefined` for a CORS preflight or, when `optional`, a
 * request without a token.
 */
export type McpFetchAuth = (request: Request) => Promise<McpAuthInfo | Response | undefined>;

/**
 * Builds a gate for Fetch-style handlers (`fetch(request)`: Hono, Bun, Deno, Cloudflare Workers,
 * and `@modelcontextprotocol/server` 2.x's web-standard transport). Pass the `AuthInfo` on to
 * the MCP handler; return the `Response` as it is.
 *
 * The response is the core's: 401 with `WWW-Authenticate: Bearer` and `resource_metadata`, 403
 * with the missing `scope`, 400 for an ambiguous request and 503 with `Retry-After` when the
 * IdP is unreachable.
 *
 * @throws {AuthConfigError} at creation, for an invalid option or `REMEM_AUTH_*` variable.
 *
 * @example
 * ```ts
 * const authenticate = mcpFetchAuth({ scopes: ['mcp:tools'], resourceMetadata });
 *
 * async function handle(request: Request): Promise<Response> {
 *   const authInfo = await authenticate(request);
 *   if (authInfo instanceof Response) return authInfo;
 *   return transport.handleRequest(request, { authInfo });
 * }
 * ```
 */
export function mcpFetchAuth(options: McpFetchAuthOptions = {}): McpFetchAuth {
  const gate = createGate(options, 'mcpFetchAuth()', [...GATE_OPTION_NAMES, 'optional']);

  return async (request) => {
    if (isPreflight(request.method, request.headers)) return undefined;
    const result = await gate(request);
    if (result.ok) return result.authInfo;
    const { status, headers, body } = result.response;
    return new Response(body, { status, headers });
  };
}
