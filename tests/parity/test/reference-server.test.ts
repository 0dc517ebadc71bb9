// The reference for every adapter: a node:http server written with @remem/auth-core alone must
// pass the whole parity table, so a failing adapter points at the adapter, not at core.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  AuthVerifier,
  authenticateRequest,
  type ErrorFormat,
  isAuthenticationError,
  loadAuthConfig,
  renderAuthError,
  silentLogger,
} from '@remem/auth-core';
import { type ParityServer, parityCases, runParityCases } from '@remem/auth-testing';
import { describe, expect, it } from 'vitest';

const FORMATS: Record<string, ErrorFormat> = {
  '/protected': 'default',
  '/openai/protected': 'openai',
};

async function startReferenceServer(env: Record<string, string>): Promise<ParityServer> {
  const config = loadAuthConfig(env, { logger: silentLogger });
  const verifier = new AuthVerifier({ ...config, logger: silentLogger });
  const server = createServer(async (request, response) => {
    const format = FORMATS[request.url ?? ''];
    if (format === undefined) {
      response.writeHead(404).end();
      return;
    }
    try {
      const user = await authenticateRequest(verifier, request);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ subject: user?.subject, authMethod: user?.authMethod }));
    } catch (error) {
      if (!isAuthenticationError(error)) throw error;
      const { status, headers, body } = renderAuthError(error, { format });
      response.writeHead(status, headers).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('parity table on the core reference server', () => {
  it.each(parityCases.map((parityCase) => [parityCase.name, parityCase] as const))(
    '%s',
    async (_name, parityCase) => {
      const [result] = await runParityCases({
        startServer: startReferenceServer,
        cases: [parityCase],
      });
      expect(result?.differences).toEqual([]);
      expect(result?.passed).toBe(true);
    },
  );

  it('reports a server that answers differently', async () => {
    const [result] = await runParityCases({
      cases: [parityCases[0]!],
      startServer: async (env) => {
        const server = await startReferenceServer(env);
        return { url: `${server.url}/openai`, close: server.close };
      },
    });
    expect(result?.passed).toBe(false);
    expect(result?.differences).toEqual([
      'body: expected {"detail":"No token provided"}, received {"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    ]);
  });
});
