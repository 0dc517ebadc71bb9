// The parity table against @remem/auth-hono, served on Node by @hono/node-server.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type RememAuthEnv, rememAuth } from '@remem/auth-hono';
import { type ParityServer, parityCases, runParityCases } from '@remem/auth-testing';
import { type Context, Hono } from 'hono';
import { describe, expect, it } from 'vitest';

function describeUser(context: Context<RememAuthEnv>): Response {
  const user = context.get('rememAuth');
  return context.json({ subject: user?.subject, authMethod: user?.authMethod });
}

async function startHonoServer(env: Record<string, string>): Promise<ParityServer> {
  const config = loadAuthConfig(env, { logger: silentLogger });
  const verifier = new AuthVerifier({ ...config, logger: silentLogger });
  const app = new Hono<RememAuthEnv>();
  app.get('/protected', rememAuth({ verifier }), describeUser);
  app.get('/openai/protected', rememAuth({ verifier, format: 'openai' }), describeUser);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('parity table on @remem/auth-hono', () => {
  it.each(parityCases.map((parityCase) => [parityCase.name, parityCase] as const))(
    '%s',
    async (_name, parityCase) => {
      const [result] = await runParityCases({ startServer: startHonoServer, cases: [parityCase] });
      expect(result?.differences).toEqual([]);
      expect(result?.passed).toBe(true);
    },
  );
});
