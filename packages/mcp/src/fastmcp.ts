import type { IncomingMessage } from 'node:http';
import type { McpAuthInfo } from './auth-info.js';
import { createGate, GATE_OPTION_NAMES, type McpGateOptions } from './gate-options.js';

/**
 * FastMCP's `authenticate` option: returns the session's auth, or throws a `Response` that
 * FastMCP (through mcp-proxy) sends unchanged.
 */
export type FastMcpAuthenticate = (request: IncomingMessage | undefined) => Promise<McpAuthInfo>;

/**
 * Builds the `authenticate` function of a FastMCP server (`new FastMCP({ authenticate })`,
 * fastmcp 3 and 4). Every request of the HTTP Stream transport is authenticated, and the tools
 * read the caller from `context.session`, an `AuthInfo` whose `extra.user` is the user.
 *
 * A failure is thrown as a Fetch `Response` rendered by the core (401 with
 * `WWW-Authenticate: Bearer` and `resource_metadata`, 403 with the missing `scope`), which
 * FastMCP sends as it is instead of its own generic 401.
 *
 * NOTE: FastMCP treats an empty session as a failed authentication, so this gate has no
 * `optional` mode.
 *
 * @throws {AuthConfigError} at creation, for an invalid option or `REMEM_AUTH_*` variable.
 *
 * @example
 * ```ts
 * import { FastMCP } from 'fastmcp';
 * import { fastMcpAuthenticate, getUser } from '@remem/auth-mcp';
 *
 * const server = new FastMCP({
 *   name: 'notes',
 *   version: '1.0.0',
 *   authenticate: fastMcpAuthenticate({ scopes: ['mcp:tools'] }),
 * });
 * server.addTool({
 *   name: 'whoami',
 *   execute: async (_args, { session }) => getUser(session)?.subject ?? 'nobody',
 * });
 * ```
 */
export function fastMcpAuthenticate(options: McpGateOptions = {}): FastMcpAuthenticate {
  const gate = createGate(options, 'fastMcpAuthenticate()', GATE_OPTION_NAMES);

  return async (request) => {
    // The stdio transport has no HTTP request, so it carries no token.
    const result = await gate(request ?? {});
    // Without `optional`, a successful gate always carries an AuthInfo.
    if (result.ok) return result.authInfo as McpAuthInfo;
    const { status, headers, body } = result.response;
    throw new Response(body, { status, headers });
  };
}
