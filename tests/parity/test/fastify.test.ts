// The parity table against @remem/auth-fastify: one context per error format, sharing a verifier.
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { rememAuth } from '@remem/auth-fastify';
import { type ParityServer, parityCases, runParityCases } from '@remem/auth-testing';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

async function startFastifyServer(env: Record<string, string>): Promise<ParityServer> {
  const config = loadAuthConfig(env, { logger: silentLogger });
  const verifier = new AuthVerifier({ ...config, logger: silentLogger });
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(rememAuth, { verifier, global: true });
    scope.get('/protected', async (request) => ({
      subject: request.rememAuth?.subject,
      authMethod: request.rememAuth?.authMethod,
    }));
  });
  await app.register(async (scope) => {
    await scope.register(rememAuth, { verifier, global: true, format: 'openai' });
    scope.get('/openai/protected', async (request) => ({
      subject: request.rememAuth?.subject,
      authMethod: request.rememAuth?.authMethod,
    }));
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}

describe('parity table on @remem/auth-fastify', () => {
  it.each(parityCases.map((parityCase) => [parityCase.name, parityCase] as const))(
    '%s',
    async (_name, parityCase) => {
      const [result] = await runParityCases({
        startServer: startFastifyServer,
        cases: [parityCase],
      });
      expect(result?.differences).toEqual([]);
      expect(result?.passed).toBe(true);
    },
  );
});
