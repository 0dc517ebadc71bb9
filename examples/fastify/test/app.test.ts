import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildApp } from '../src/app.js';

const STATIC_TOKEN = 'example-static-token';

let provider: OidcProviderHandle;
let app: FastifyInstance;
let origin: string;

beforeAll(async () => {
  provider = await startOidcProvider();
  const config = loadAuthConfig({
    REMEM_AUTH_IDPS_JSON: provider.idpsJson(),
    REMEM_AUTH_STATIC_TOKENS: STATIC_TOKEN,
  });
  app = await buildApp(new AuthVerifier({ ...config, logger: silentLogger }));
  origin = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
  await provider.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('example service', () => {
  test('health route public', async () => {
    const response = await fetch(`${origin}/health`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('me without token', async () => {
    const response = await fetch(`${origin}/me`);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('{"detail":"No token provided"}');
  });

  test('me with static token', async () => {
    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'static-token-1',
      email: null,
      authMethod: 'static',
    });
  });

  test.each([
    { scope: 'notes:read', status: 200 },
    { scope: 'notes:write', status: 403 },
  ])('notes with scope $scope gives $status', async ({ scope, status }) => {
    const token = await provider.getAccessToken({ scope });

    const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

    expect(response.status).toBe(status);
  });

  test('notes body of a missing scope', async () => {
    const token = await provider.getAccessToken({ scope: 'notes:write' });

    const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

    expect(await response.text()).toBe(
      '{"detail":"The token lacks the required scope(s): notes:read."}',
    );
  });
});

describe('OpenAI-format route', () => {
  const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${origin}/v1`, maxRetries: 0 });
  const ask = (apiKey: string) =>
    client(apiKey).chat.completions.create({
      model: 'example',
      messages: [{ role: 'user', content: 'Hello' }],
    });

  test('OpenAI client raises invalid_api_key', async () => {
    const error = await ask('wrong-key').then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });

  test('OpenAI client with an access token', async () => {
    const token = await provider.getAccessToken();

    const completion = await ask(token);

    expect(completion.choices[0]?.message.content).toBe(`Hello, ${provider.clientId}.`);
  });

  test('raw body in OpenAI format', async () => {
    const response = await fetch(`${origin}/v1/chat/completions`, { method: 'POST' });

    expect(response.status).toBe(401);
    expect(await response.text()).toBe(
      '{"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    );
  });
});
