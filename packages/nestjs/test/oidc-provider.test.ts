import { loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RememAuthModule } from '../src/index.js';
import { NotesController, PLATFORMS, type Served, start } from './helpers.js';

let provider: OidcProviderHandle;

beforeAll(async () => {
  provider = await startOidcProvider();
});

afterAll(async () => {
  await provider.close();
});

describe.each(PLATFORMS)('$platform', (platform) => {
  let served: Served;

  beforeAll(async () => {
    const config = loadAuthConfig({ REMEM_AUTH_IDPS_JSON: provider.idpsJson() });
    served = await start(platform, {
      imports: [
        RememAuthModule.forRoot({
          config: { ...config, logger: silentLogger },
          globalGuard: true,
        }),
      ],
      controllers: [NotesController],
    });
  });

  afterAll(async () => {
    await served.app.close();
  });

  test('access token from oidc-provider accepted', async () => {
    const token = await provider.getAccessToken({ scope: 'notes:read' });

    const response = await fetch(`${served.origin}/me`, {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: provider.clientId, authMethod: 'jwt' });
  });

  test('access token scopes checked per route', async () => {
    const readOnly = await provider.getAccessToken({ scope: 'notes:read' });
    const headers = { authorization: `Bearer ${readOnly}` };

    const read = await fetch(`${served.origin}/notes`, { headers });
    const write = await fetch(`${served.origin}/notes`, { method: 'POST', headers });

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

      const response = await fetch(`${served.origin}/me`, {
        headers: { authorization: `Bearer ${token}` },
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
