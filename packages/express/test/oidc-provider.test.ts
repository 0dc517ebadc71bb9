import { loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authErrorHandler, rememAuth, requireScopes } from '../src/index.js';
import { EXPRESS_VERSIONS, type Served, sendUser, serve } from './helpers.js';

let provider: OidcProviderHandle;

beforeAll(async () => {
  provider = await startOidcProvider();
});

afterAll(async () => {
  await provider.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(EXPRESS_VERSIONS)('$name', ({ create }) => {
  async function serveProtected(): Promise<Served> {
    const config = loadAuthConfig({ REMEM_AUTH_IDPS_JSON: provider.idpsJson() });
    const app = create();
    app.use(rememAuth({ config: { ...config, logger: silentLogger } }));
    app.get('/me', sendUser);
    app.get('/notes', requireScopes('notes:read'), sendUser);
    app.post('/notes', requireScopes('notes:write'), sendUser);
    app.use(authErrorHandler());
    return serve(app);
  }

  test('access token from oidc-provider accepted', async () => {
    const { origin } = await serveProtected();
    const token = await provider.getAccessToken({ scope: 'notes:read' });

    const response = await fetch(`${origin}/me`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: provider.clientId,
      authMethod: 'jwt',
      scopes: ['notes:read'],
    });
  });

  test('access token scopes checked per route', async () => {
    const { origin } = await serveProtected();
    const headers = bearer(await provider.getAccessToken({ scope: 'notes:read' }));

    const read = await fetch(`${origin}/notes`, { headers });
    const write = await fetch(`${origin}/notes`, { method: 'POST', headers });

    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:write.", scope="notes:write"',
    );
    expect(await write.text()).toBe(
      '{"detail":"The token lacks the required scope(s): notes:write."}',
    );
  });

  test('token from another issuer rejected', async () => {
    const { origin } = await serveProtected();
    const other = await startOidcProvider();
    try {
      const response = await fetch(`${origin}/me`, {
        headers: bearer(await other.getAccessToken()),
      });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", error_description="The token issuer is not trusted by this service."',
      );
    } finally {
      await other.close();
    }
  });
});
