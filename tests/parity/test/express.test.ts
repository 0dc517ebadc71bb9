// The parity table against @remem/auth-express, with the error handler installed.
import type { AddressInfo } from 'node:net';
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { getUser, install, rememAuth } from '@remem/auth-express';
import { type ParityServer, parityCases, runParityCases } from '@remem/auth-testing';
import express, { type Request, type Response } from 'express';
import { describe, expect, it } from 'vitest';

function describeUser(request: Request, response: Response): void {
  const user = getUser(request);
  response.json({ subject: user?.subject, authMethod: user?.authMethod });
}

async function startExpressServer(env: Record<string, string>): Promise<ParityServer> {
  const config = loadAuthConfig(env, { logger: silentLogger });
  const verifier = new AuthVerifier({ ...config, logger: silentLogger });
  const app = express();
  app.get('/protected', rememAuth({ verifier }), describeUser);
  app.get('/openai/protected', rememAuth({ verifier, format: 'openai' }), describeUser);
  install(app);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('parity table on @remem/auth-express', () => {
  it.each(parityCases.map((parityCase) => [parityCase.name, parityCase] as const))(
    '%s',
    async (_name, parityCase) => {
      const [result] = await runParityCases({
        startServer: startExpressServer,
        cases: [parityCase],
      });
      expect(result?.differences).toEqual([]);
      expect(result?.passed).toBe(true);
    },
  );
});
