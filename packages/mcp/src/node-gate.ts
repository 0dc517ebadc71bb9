import type { IncomingMessage, ServerResponse } from 'node:http';
import type { McpAuthInfo } from './auth-info.js';
import { createGate, GATE_OPTION_NAMES, type McpGateOptions } from './gate-options.js';
import { isPreflight } from './preflight.js';

/** Options of {@link mcpBearerAuth}. */
export interface McpBearerAuthOptions extends McpGateOptions {
  /** Let requests without a token through with no `req.auth`; a token sent must be valid. */
  optional?: boolean;
}

/** A Node request after {@link mcpBearerAuth}: `auth` is what the SDK transports read. */
export type RequestWithAuth = IncomingMessage & { auth?: McpAuthInfo };

/**
 * A middleware for Node's `http` server and Express (4 and 5). `next` is called with no
 * argument on success, or with an error that is not an authentication failure.
 */
export type McpBearerAuthMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Builds a middleware that authenticates the bearer token of each MCP request and sets
 * `req.auth`, where the SDK's Streamable HTTP transports (1.x and 2.x) read the `AuthInfo` to
 * hand it to tool handlers as `extra.authInfo` (1.x) or `ctx.http.authInfo` (2.x).
 *
 * It sends a failure response itself, as the core renders it: 401 with `WWW-Authenticate: Bearer` and
 * `resource_metadata`, 403 with the missing `scope`, 400 for an ambiguous request and 503 with
 * `Retry-After` when the IdP is unreachable. A CORS preflight passes unauthenticated.
 *
 * @throws {AuthConfigError} at creation, for an invalid option or `REMEM_AUTH_*` variable.
 *
 * @example
 * ```ts
 * import { mcpBearerAuth, protectedResourceMetadataUrl } from '@remem/auth-mcp';
 *
 * const auth = mcpBearerAuth({
 *   scopes: ['mcp:tools'],
 *   resourceMetadata: protectedResourceMetadataUrl('https://mcp.example.com/mcp'),
 * });
 * app.post('/mcp', auth, (req, res) => transport.handleRequest(req, res, req.body));
 * ```
 */
export function mcpBearerAuth(options: McpBearerAuthOptions = {}): McpBearerAuthMiddleware {
  const gate = createGate(options, 'mcpBearerAuth()', [...GATE_OPTION_NAMES, 'optional']);

  return function mcpBearerAuthMiddleware(request, response, next) {
    if (isPreflight(request.method, request.headers)) {
      next();
      return;
    }
    gate(request).then(
      (result) => {
        if (result.ok) {
          if (result.authInfo !== undefined) (request as RequestWithAuth).auth = result.authInfo;
          next();
          return;
        }
        const { status, headers, body } = result.response;
        response.writeHead(status, headers).end(body);
      },
      (error: unknown) => next(error),
    );
  };
}
