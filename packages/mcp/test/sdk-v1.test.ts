import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as esmErrors from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth as esmRequireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTokenVerifier, getUser, type McpSdkErrors } from '../src/index.js';
import { AUDIENCE, close, createVerifier, listen, STATIC_TOKEN } from './helpers.js';

// The CommonJS copy of the SDK, as a `require()` caller loads it: its error classes differ from
// the ESM copy's.
const require = createRequire(import.meta.url);
const cjsErrors = require('@modelcontextprotocol/sdk/server/auth/errors.js') as McpSdkErrors;
const { requireBearerAuth: cjsRequireBearerAuth } =
  require('@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js') as {
    requireBearerAuth: typeof esmRequireBearerAuth;
  };

const METADATA_URL = 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

// An MCP server with a `whoami` tool behind the SDK's own bearer middleware.
async function startServer(auth: RequestHandler): Promise<{ server: Server; url: string }> {
  const app = express();
  app.post('/mcp', auth, express.json(), async (request, response) => {
    const mcp = new McpServer({ name: 'sdk-v1-test', version: '1.0.0' });
    mcp.registerTool('whoami', { description: 'caller' }, async (extra) => ({
      content: [{ type: 'text', text: getUser(extra.authInfo)?.subject ?? 'nobody' }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => void transport.close());
    await mcp.connect(transport);
    await transport.handleRequest(request, response, request.body);
  });
  const server = createServer(app);
  const origin = await listen(server);
  return { server, url: `${origin}/mcp` };
}

async function whoami(url: string, token: string): Promise<string> {
  const client = new Client({ name: 'remem-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  });
  try {
    await client.connect(transport);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    return (result.content as { text: string }[])[0]?.text ?? '';
  } finally {
    await client.close();
  }
}

function post(url: string, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
  });
}

const ENTRY_POINTS = [
  { name: 'ESM entry point', requireBearerAuth: esmRequireBearerAuth, errors: esmErrors },
  { name: 'CJS entry point', requireBearerAuth: cjsRequireBearerAuth, errors: cjsErrors },
];

describe.each(ENTRY_POINTS)('SDK 1.x requireBearerAuth, $name', ({ requireBearerAuth, errors }) => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    const verifier = createTokenVerifier({ verifier: createVerifier(idp), errors });
    ({ server, url } = await startServer(
      requireBearerAuth({
        verifier,
        requiredScopes: ['mcp:tools'],
        resourceMetadataUrl: METADATA_URL,
      }),
    ));
  });

  afterAll(async () => {
    await close(server);
  });

  test('client calls whoami with JWT', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', aud: AUDIENCE, scope: 'mcp:tools' },
    });

    expect(await whoami(url, token)).toBe('alice');
  });

  test('client calls whoami with static token', async () => {
    expect(await whoami(url, STATIC_TOKEN)).toBe('ci-bot');
  });

  test('invalid token gets 401', async () => {
    const token = await idp.mintToken({ claims: { sub: 'alice', aud: 'api://other' } });

    const response = await post(url, token);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The token is not meant for this service (audience mismatch).", ' +
        `scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    );
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'The token is not meant for this service (audience mismatch).',
    });
  });

  test('token without scope gets 403', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', aud: AUDIENCE, scope: 'notes:read' },
    });

    const response = await post(url, token);

    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="Insufficient scope", ' +
        `scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
    );
  });
});

test('other copy of error classes gets 500', async () => {
  // Why the option exists: the CJS middleware does not recognise the ESM copy's classes.
  const verifier = createTokenVerifier({ verifier: createVerifier(idp), errors: esmErrors });
  const { server, url } = await startServer(cjsRequireBearerAuth({ verifier }));
  try {
    const response = await post(url, 'not-a-valid-token');

    expect(response.status).toBe(500);
  } finally {
    await close(server);
  }
});
