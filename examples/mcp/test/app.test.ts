import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Client as ClientV2,
  extractWWWAuthenticateParams as challengeParamsV2,
  discoverOAuthProtectedResourceMetadata as discoverV2,
  StreamableHTTPClientTransport as TransportV2,
} from '@modelcontextprotocol/client';
import {
  extractWWWAuthenticateParams as challengeParamsV1,
  discoverOAuthProtectedResourceMetadata as discoverV1,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { AuthVerifier } from '@remem/auth-core';
import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../src/app.js';

const STATIC_TOKEN = 'example-mcp-static-token';

let provider: OidcProviderHandle;
let server: Server;
let resource: string;
let metadataUrl: string;

beforeAll(async () => {
  provider = await startOidcProvider({ scopes: ['mcp:tools', 'notes:read'] });
  // The server listens before the app exists, because the resource URL (the tokens' audience)
  // contains the port.
  server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resource = `${origin}/mcp`;
  metadataUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;

  const verifier = new AuthVerifier({
    idps: [
      {
        name: 'oidc-provider',
        issuer: provider.issuer,
        jwksUri: provider.jwksUri,
        audience: resource,
        typ: 'at+jwt',
      },
    ],
    staticTokens: [{ token: STATIC_TOKEN, subject: 'ci-bot', scopes: ['mcp:tools'] }],
  });
  server.on('request', createApp({ verifier, resource, authorizationServers: [provider.issuer] }));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await provider.close();
});

interface Identity {
  subject: string;
  clientId: string;
  authMethod: string;
  scopes: string[];
}

/** One MCP client SDK, driven the same way in every test. */
interface McpClientKind {
  name: string;
  /** Connects, calls `whoami` and closes; `responses` receives every failed HTTP response. */
  whoami(token: string | undefined, responses: Response[]): Promise<Identity>;
  discover(url: string): Promise<Record<string, unknown>>;
  challengeParams(response: Response): {
    resourceMetadataUrl?: URL;
    scope?: string;
    error?: string;
  };
}

// Keeps a copy of each failed response. Successful ones are left alone: an unread copy of an
// event stream stalls the SDK 1.x client.
function recordingFetch(responses: Response[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!response.ok) responses.push(response.clone());
    return response;
  };
}

function headers(token: string | undefined): Record<string, string> {
  return token === undefined ? {} : { authorization: `Bearer ${token}` };
}

const CLIENTS: McpClientKind[] = [
  {
    name: 'sdk v1 client',
    async whoami(token, responses) {
      const client = new ClientV1({ name: 'remem-test', version: '1.0.0' });
      const transport = new TransportV1(new URL(resource), {
        requestInit: { headers: headers(token) },
        fetch: recordingFetch(responses),
      });
      try {
        await client.connect(transport);
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        return result.structuredContent as unknown as Identity;
      } finally {
        await client.close();
      }
    },
    discover: async (url) => ({ ...(await discoverV1(url)) }),
    challengeParams: (response) => challengeParamsV1(response),
  },
  {
    name: 'sdk v2 client',
    async whoami(token, responses) {
      const client = new ClientV2({ name: 'remem-test', version: '1.0.0' });
      const transport = new TransportV2(new URL(resource), {
        requestInit: { headers: headers(token) },
        fetch: recordingFetch(responses),
      });
      try {
        await client.connect(transport);
        const result = await client.callTool({ name: 'whoami', arguments: {} });
        return result.structuredContent as unknown as Identity;
      } finally {
        await client.close();
      }
    },
    discover: async (url) => ({ ...(await discoverV2(url)) }),
    challengeParams: (response) => challengeParamsV2(response),
  },
];

describe.each(CLIENTS)('$name', (kind) => {
  test('whoami with provider token', async () => {
    const token = await provider.getAccessToken({ scope: 'mcp:tools', resource });

    const identity = await kind.whoami(token, []);

    expect(identity).toEqual({
      subject: provider.clientId,
      clientId: provider.clientId,
      authMethod: 'jwt',
      scopes: ['mcp:tools'],
    });
  });

  test('whoami with static token', async () => {
    const identity = await kind.whoami(STATIC_TOKEN, []);

    expect(identity).toEqual({
      subject: 'ci-bot',
      clientId: 'ci-bot',
      authMethod: 'static',
      scopes: ['mcp:tools'],
    });
  });

  test('no token gets challenge and metadata', async () => {
    const responses: Response[] = [];

    await expect(kind.whoami(undefined, responses)).rejects.toThrow();

    const [first] = responses;
    expect(first?.status).toBe(401);
    expect(first?.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${metadataUrl}"`,
    );
    expect(await first?.text()).toBe('{"detail":"No token provided"}');
    const params = kind.challengeParams(first as Response);
    expect(params.resourceMetadataUrl?.href).toBe(metadataUrl);

    const metadata = await kind.discover(resource);
    expect(metadata).toEqual({
      resource,
      authorization_servers: [provider.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['mcp:tools'],
      resource_name: 'remem-auth example MCP server',
    });
  });

  test('token without scope gets 403', async () => {
    const token = await provider.getAccessToken({ scope: 'notes:read', resource });
    const responses: Response[] = [];

    await expect(kind.whoami(token, responses)).rejects.toThrow();

    const [first] = responses;
    expect(first?.status).toBe(403);
    expect(first?.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): mcp:tools.", ' +
        `scope="mcp:tools", resource_metadata="${metadataUrl}"`,
    );
    expect(kind.challengeParams(first as Response).scope).toBe('mcp:tools');
  });

  test('token for other resource gets 401', async () => {
    const token = await provider.getAccessToken({
      scope: 'mcp:tools',
      resource: 'https://other.example/mcp',
    });
    const responses: Response[] = [];

    await expect(kind.whoami(token, responses)).rejects.toThrow();

    expect(responses[0]?.status).toBe(401);
    expect(kind.challengeParams(responses[0] as Response).error).toBe('invalid_token');
  });
});

describe('metadata document', () => {
  test.each([
    ['path-suffixed URL', '/.well-known/oauth-protected-resource/mcp'],
    ['root URL', '/.well-known/oauth-protected-resource'],
  ])('served at %s with CORS', async (_name, path) => {
    const response = await fetch(new URL(path, resource), {
      headers: { origin: 'https://inspector.example' },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(((await response.json()) as { resource: string }).resource).toBe(resource);
  });

  test('preflight answered without token', async () => {
    const response = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', resource), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://inspector.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'mcp-protocol-version',
      },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('mcp-protocol-version');
  });
});
