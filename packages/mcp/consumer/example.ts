// The README's first example (SDK 1.x `requireBearerAuth`), completed into a server with one
// tool. The SDK's own client calls the tool with a static token and gets the caller's subject
// back. A request without a token gets the 401 challenge.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as errors from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createTokenVerifier, getUser, protectedResourceMetadataUrl } from '@remem/auth-mcp';
import express, { type Request, type Response } from 'express';

async function handleMcp(request: Request, response: Response): Promise<void> {
  const server = new McpServer({ name: 'consumer', version: '1.0.0' });
  server.registerTool('whoami', { description: 'Returns the caller.' }, async (extra) => ({
    content: [{ type: 'text', text: getUser(extra.authInfo)?.subject ?? 'nobody' }],
  }));
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  response.on('close', () => void transport.close());
  await server.connect(transport);
  await transport.handleRequest(request, response, request.body);
}

const app = express();
app.use(express.json());

// The README reads REMEM_AUTH_* from process.env. A static token from there has no scopes, so
// this one is configured in code with the scope the route requires.
const verifier = createTokenVerifier({
  errors,
  config: { staticTokens: [{ token: 'dev-token-1', scopes: ['mcp:tools'] }] },
});
app.post(
  '/mcp',
  requireBearerAuth({
    verifier,
    requiredScopes: ['mcp:tools'],
    resourceMetadataUrl: protectedResourceMetadataUrl('https://mcp.example.com/mcp'),
  }),
  handleMcp, // tools read getUser(extra.authInfo)
);

const listener = app.listen(0, '127.0.0.1');
await new Promise((resolve) => listener.once('listening', resolve));
const url = new URL(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/mcp`);

const client = new Client({ name: 'consumer-client', version: '1.0.0' });
await client.connect(
  new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: 'Bearer dev-token-1' } },
  }),
);
const result = await client.callTool({ name: 'whoami', arguments: {} });
assert.deepEqual(result.content, [{ type: 'text', text: 'static-token-1' }]);
await client.close();

const rejected = await fetch(url, { method: 'POST' });
assert.equal(rejected.status, 401);
assert.match(rejected.headers.get('www-authenticate') ?? '', /^Bearer .*resource_metadata=/);

listener.close();
console.log('mcp example passed');
