import { request as httpRequest } from 'node:http';
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import { Hono } from 'hono';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getUser, rememAuth } from '../src/index.js';
import { STATIC_TOKEN, sendUser, serveApp } from './helpers.js';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('oidc-provider', () => {
  let provider: OidcProviderHandle;

  beforeAll(async () => {
    provider = await startOidcProvider();
  });

  afterAll(async () => {
    await provider.close();
  });

  function createApp(): Hono {
    const config = loadAuthConfig({ REMEM_AUTH_IDPS_JSON: provider.idpsJson() });
    const verifier = new AuthVerifier({ ...config, logger: silentLogger });
    const app = new Hono();
    app.get('/me', rememAuth({ verifier }), sendUser);
    app.post('/notes', rememAuth({ verifier, scopes: ['notes:write'] }), sendUser);
    return app;
  }

  test('access token accepted', async () => {
    const { origin } = await serveApp(createApp());
    const token = await provider.getAccessToken({ scope: 'notes:read' });

    const response = await fetch(`${origin}/me`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: provider.clientId,
      authMethod: 'jwt',
      scopes: ['notes:read'],
    });
  });

  test('access token without the scope', async () => {
    const { origin } = await serveApp(createApp());
    const token = await provider.getAccessToken({ scope: 'notes:read' });

    const response = await fetch(`${origin}/notes`, { method: 'POST', headers: bearer(token) });

    const body = '{"detail":"The token lacks the required scope(s): notes:write."}';
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:write.", scope="notes:write"',
    );
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('content-length')).toBe(String(body.length));
    expect(await response.text()).toBe(body);
  });

  test('token from another issuer', async () => {
    const { origin } = await serveApp(createApp());
    const other = await startOidcProvider();
    try {
      const token = await other.getAccessToken();

      const response = await fetch(`${origin}/me`, { headers: bearer(token) });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        'Bearer error="invalid_token", error_description="The token issuer is not trusted by this service."',
      );
    } finally {
      await other.close();
    }
  });
});

test('Authorization header sent twice on a socket', async () => {
  const app = new Hono();
  app.get('/me', rememAuth({ config: { staticTokens: [STATIC_TOKEN], logger: silentLogger } }));
  const { server } = await serveApp(app);
  const { port } = server.address() as { port: number };

  const response = await new Promise<{ status?: number; challenge?: string; body: string }>(
    (resolve, reject) => {
      const request = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/me',
        // A flat name-value list makes Node write two Authorization lines. It also drops the
        // automatic Host header, which Node's server requires.
        headers: [
          'host',
          `127.0.0.1:${port}`,
          'authorization',
          `Bearer ${STATIC_TOKEN}`,
          'authorization',
          'Bearer other-token',
        ],
      });
      request.on('error', reject);
      request.on('response', (incoming) => {
        let body = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => {
          body += chunk;
        });
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode,
            challenge: incoming.headers['www-authenticate'],
            body,
          }),
        );
      });
      request.end();
    },
  );

  const message = 'The Authorization header was sent more than once; send exactly one token.';
  expect(response.status).toBe(400);
  expect(response.challenge).toBe(`Bearer error="invalid_request", error_description="${message}"`);
  expect(response.body).toBe(JSON.stringify({ detail: message }));
});

describe('OpenAI client', () => {
  const verifier = new AuthVerifier({ staticTokens: [STATIC_TOKEN], logger: silentLogger });

  // An OpenAI-compatible `GET /v1/models`, enough for `client.models.list()`.
  function createApp(): Hono {
    const app = new Hono();
    app.get('/v1/models', rememAuth({ verifier, format: 'openai' }), (c) =>
      c.json({
        object: 'list',
        data: [{ id: 'example', object: 'model', created: 0, owned_by: getUser(c)?.subject }],
      }),
    );
    return app;
  }

  async function listModels(origin: string, apiKey: string) {
    const client = new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0 });
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    return models;
  }

  test('wrong key raises invalid_api_key', async () => {
    const { origin } = await serveApp(createApp());

    const error = await listModels(origin, 'wrong-key').then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const authError = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(authError.status).toBe(401);
    expect(authError.code).toBe('invalid_api_key');
    expect(authError.type).toBe('invalid_request_error');
    expect(authError.message).toBe(
      '401 The token is not a JWT: expected three dot-separated parts, got 1.',
    );
  });

  test('static token lists models', async () => {
    const { origin } = await serveApp(createApp());

    const models = await listModels(origin, STATIC_TOKEN);

    expect(models).toEqual([
      { id: 'example', object: 'model', created: 0, owned_by: 'static-token-1' },
    ]);
  });
});
