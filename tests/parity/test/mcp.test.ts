// The parity table against @remem/auth-mcp's two gates: the Node gate, whose `req.auth` the MCP
// SDK transports read, on Node's own HTTP server, and the Fetch gate, served by @hono/node-server.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { getUser, mcpBearerAuth, mcpFetchAuth, type RequestWithAuth } from '@remem/auth-mcp';
import { type ParityServer, parityCases, runParityCases } from '@remem/auth-testing';
import { describe, expect, it } from 'vitest';

function verifierFrom(env: Record<string, string>): AuthVerifier {
  return new AuthVerifier({
    ...loadAuthConfig(env, { logger: silentLogger }),
    logger: silentLogger,
  });
}

function userBody(authInfo: RequestWithAuth['auth']): string {
  const user = getUser(authInfo);
  return JSON.stringify({ subject: user?.subject, authMethod: user?.authMethod });
}

async function listening(server: ReturnType<typeof createServer>): Promise<ParityServer> {
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function startNodeGateServer(env: Record<string, string>): Promise<ParityServer> {
  const verifier = verifierFrom(env);
  const gates = {
    '/protected': mcpBearerAuth({ verifier }),
    '/openai/protected': mcpBearerAuth({ verifier, format: 'openai' }),
  };
  const server = createServer((request: RequestWithAuth, response: ServerResponse) => {
    const gate = gates[request.url as keyof typeof gates];
    if (gate === undefined) {
      response.writeHead(404).end();
      return;
    }
    gate(request, response, (error?: unknown) => {
      if (error !== undefined) {
        response.writeHead(500).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(userBody(request.auth));
    });
  });
  server.listen(0, '127.0.0.1');
  return listening(server);
}

async function startFetchGateServer(env: Record<string, string>): Promise<ParityServer> {
  const verifier = verifierFrom(env);
  const gates = {
    '/protected': mcpFetchAuth({ verifier }),
    '/openai/protected': mcpFetchAuth({ verifier, format: 'openai' }),
  };
  const handle = async (request: Request): Promise<Response> => {
    const gate = gates[new URL(request.url).pathname as keyof typeof gates];
    if (gate === undefined) return new Response(null, { status: 404 });
    const authInfo = await gate(request);
    if (authInfo instanceof Response) return authInfo;
    return new Response(userBody(authInfo), { headers: { 'content-type': 'application/json' } });
  };
  const server = serve({ fetch: handle, hostname: '127.0.0.1', port: 0 });
  return listening(server as ReturnType<typeof createServer>);
}

const cases = parityCases.map((parityCase) => [parityCase.name, parityCase] as const);

describe('parity table on the @remem/auth-mcp Node gate', () => {
  it.each(cases)('%s', async (_name, parityCase) => {
    const [result] = await runParityCases({
      startServer: startNodeGateServer,
      cases: [parityCase],
    });
    expect(result?.differences).toEqual([]);
    expect(result?.passed).toBe(true);
  });
});

describe('parity table on the @remem/auth-mcp Fetch gate', () => {
  it.each(cases)('%s', async (_name, parityCase) => {
    const [result] = await runParityCases({
      startServer: startFetchGateServer,
      cases: [parityCase],
    });
    expect(result?.differences).toEqual([]);
    expect(result?.passed).toBe(true);
  });
});
