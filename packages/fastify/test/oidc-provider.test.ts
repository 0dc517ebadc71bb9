import { loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { protectedApp } from './helpers.js';

let provider: OidcProviderHandle;
let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  provider = await startOidcProvider();
  const config = loadAuthConfig({ REMEM_AUTH_IDPS_JSON: provider.idpsJson() });
  app = await protectedApp(
    { config: { ...config, logger: silentLogger }, global: true },
    Fastify(),
  );
  app.get('/claims', async (request) => ({
    subject: request.rememAuth?.subject,
    idpName: request.rememAuth?.idpName,
    scopes: request.rememAuth?.scopes,
  }));
  origin = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await provider.close();
});

test('access token from oidc-provider accepted', async () => {
  const token = await provider.getAccessToken({ scope: 'notes:read' });

  const response = await fetch(`${origin}/claims`, {
    headers: { authorization: `Bearer ${token}` },
  });

  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    subject: provider.clientId,
    idpName: 'oidc-provider',
    scopes: ['notes:read'],
  });
});

test('access token scopes checked per route', async () => {
  const readOnly = await provider.getAccessToken({ scope: 'notes:read' });
  const headers = { authorization: `Bearer ${readOnly}` };

  const read = await fetch(`${origin}/notes`, { headers });
  const write = await fetch(`${origin}/notes`, { method: 'POST', headers });

  expect(read.status).toBe(200);
  expect(write.status).toBe(403);
  expect(write.headers.get('www-authenticate')).toBe(
    'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:write.", scope="notes:write"',
  );
  expect(await write.text()).toBe(
    JSON.stringify({ detail: 'The token lacks the required scope(s): notes:write.' }),
  );
});

test('token from another issuer rejected', async () => {
  const other = await startOidcProvider();
  try {
    const token = await other.getAccessToken();

    const response = await fetch(`${origin}/me`, { headers: { authorization: `Bearer ${token}` } });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The token issuer is not trusted by this service."',
    );
  } finally {
    await other.close();
  }
});
