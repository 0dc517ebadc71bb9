import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { FastMCP } from 'fastmcp';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fastMcpAuthenticate, getUser, type McpAuthInfo } from '../src/index.js';
import { AUDIENCE, createVerifier, freePort, STATIC_TOKEN } from './helpers.js';

const METADATA_URL = 'http://127.0.0.1/.well-known/oauth-protected-resource/mcp';

let idp: LocalIdp;
let server: FastMCP<McpAuthInfo>;
let url: string;

beforeAll(async () => {
  idp = await startLocalIdp();
  server = new FastMCP<McpAuthInfo>({
    name: 'fastmcp-test',
    version: '1.0.0',
    authenticate: fastMcpAuthenticate({
      verifier: createVerifier(idp),
      scopes: ['mcp:tools'],
      resourceMetadata: METADATA_URL,
    }),
  });
  server.addTool({
    name: 'whoami',
    description: 'caller',
    execute: async (_args, { session }) => getUser(session)?.subject ?? 'nobody',
  });
  // FastMCP 4 takes a fixed port, so a free one is picked first.
  const port = await freePort();
  await server.start({ transportType: 'httpStream', httpStream: { port, host: '127.0.0.1' } });
  url = `http://127.0.0.1:${port}/mcp`;
});

afterAll(async () => {
  await server.stop();
  await idp.close();
});

async function whoami(token: string): Promise<string> {
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

function initialize(token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'remem-test', version: '1.0.0' },
      },
    }),
  });
}

test('client calls whoami with JWT', async () => {
  const token = await idp.mintToken({
    claims: { sub: 'alice', aud: AUDIENCE, scope: 'mcp:tools' },
  });

  expect(await whoami(token)).toBe('alice');
});

test('client calls whoami with static token', async () => {
  expect(await whoami(STATIC_TOKEN)).toBe('ci-bot');
});

test('no token gets core 401', async () => {
  const response = await initialize();

  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(
    `Bearer resource_metadata="${METADATA_URL}"`,
  );
  expect(await response.text()).toBe('{"detail":"No token provided"}');
});

test('token without scope gets 403', async () => {
  const token = await idp.mintToken({
    claims: { sub: 'alice', aud: AUDIENCE, scope: 'notes:read' },
  });

  const response = await initialize(token);

  expect(response.status).toBe(403);
  expect(response.headers.get('www-authenticate')).toBe(
    'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): mcp:tools.", ' +
      `scope="mcp:tools", resource_metadata="${METADATA_URL}"`,
  );
});
