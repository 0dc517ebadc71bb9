import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { TokenVerifier } from '@remem/auth-core';
import {
  getUser,
  mcpBearerAuth,
  protectedResourceMetadataHandler,
  protectedResourceMetadataUrl,
} from '@remem/auth-mcp';
import express, { type Express } from 'express';

/** Options of {@link createApp}. */
export interface McpAppOptions {
  /** The verifier shared by every request. */
  verifier: TokenVerifier;
  /** The URL clients connect to, such as `https://mcp.example.com/mcp`; its path is served. */
  resource: string;
  /** Issuers of the tokens this server accepts, published in the metadata document. */
  authorizationServers: string[];
  /** Scopes every MCP request needs. Default `["mcp:tools"]`. */
  scopes?: string[];
}

/**
 * Builds the example MCP server: one tool, `whoami`, that returns the caller's identity, served
 * over Streamable HTTP (stateless) at the path of `resource`. Every MCP request needs a valid
 * bearer token with the required scopes; the RFC 9728 metadata document is public.
 */
export function createApp(options: McpAppOptions): Express {
  const scopes = options.scopes ?? ['mcp:tools'];
  const path = new URL(options.resource).pathname;
  const app = express();

  app.use(
    protectedResourceMetadataHandler({
      resource: options.resource,
      authorizationServers: options.authorizationServers,
      scopesSupported: scopes,
      resourceName: 'remem-auth example MCP server',
    }),
  );

  const auth = mcpBearerAuth({
    verifier: options.verifier,
    scopes,
    resourceMetadata: protectedResourceMetadataUrl(options.resource),
  });
  app.post(path, auth, express.json(), async (request, response) => {
    // Stateless: each request gets its own server and transport, so no session outlives its
    // caller's token.
    const server = createMcpServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  });
  app.all(path, auth, (_request, response) => {
    response
      .status(405)
      .set('allow', 'POST')
      .json({
        jsonrpc: '2.0',
        error: {
          code: -32000,
          message: 'Method not allowed: this stateless server takes POST only.',
        },
        id: null,
      });
  });
  return app;
}

function createMcpServer(): McpServer {
  const server = new McpServer({ name: 'remem-auth-example', version: '1.0.0' });
  server.registerTool(
    'whoami',
    { description: "Returns the caller's identity, as the bearer token proves it." },
    async (extra) => {
      const user = getUser(extra.authInfo);
      const identity = {
        subject: user?.subject ?? null,
        clientId: extra.authInfo?.clientId ?? null,
        authMethod: user?.authMethod ?? null,
        scopes: extra.authInfo?.scopes ?? [],
      };
      return {
        content: [{ type: 'text', text: JSON.stringify(identity) }],
        structuredContent: identity,
      };
    },
  );
  return server;
}
