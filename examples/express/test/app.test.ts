import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthConfigError } from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createAppFromEnv } from '../src/app.js';

const STATIC_TOKEN = 'example-static-token';

let idp: LocalIdp;
let server: Server;
let origin: string;

beforeAll(async () => {
  idp = await startLocalIdp({ audience: 'api://remem-example', mintEndpoint: true });
  // The same variables a deployment sets. The default logger prints only warnings, and this
  // configuration causes none.
  const { app } = createAppFromEnv({
    REMEM_AUTH_IDPS_JSON: idp.idpsJson(),
    REMEM_AUTH_STATIC_TOKENS: STATIC_TOKEN,
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

// Mints a token through the local IdP's `POST /token`, as the README's curl command does.
async function mintToken(fields: Record<string, string>): Promise<string> {
  const response = await fetch(`${idp.url}/token`, {
    method: 'POST',
    body: new URLSearchParams(fields),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

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

  test('me with a minted token', async () => {
    const token = await mintToken({ sub: 'alice', email: 'alice@example.test' });

    const response = await fetch(`${origin}/me`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'alice',
      email: 'alice@example.test',
      authMethod: 'jwt',
    });
  });

  test.each([
    { scope: 'notes:read', status: 200 },
    { scope: 'notes:write', status: 403 },
  ])('notes with scope $scope gives $status', async ({ scope, status }) => {
    const token = await mintToken({ sub: 'alice', scope });

    const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

    expect(response.status).toBe(status);
  });

  test.each([
    { scope: 'notes:write', status: 201 },
    { scope: 'notes:read', status: 403 },
  ])('new note with scope $scope gives $status', async ({ scope, status }) => {
    const token = await mintToken({ sub: 'alice', scope });

    const response = await fetch(`${origin}/notes`, { method: 'POST', headers: bearer(token) });

    expect(response.status).toBe(status);
  });

  test('notes body of a missing scope', async () => {
    const token = await mintToken({ sub: 'alice', scope: 'notes:write' });

    const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
    );
    expect(await response.text()).toBe(
      '{"detail":"The token lacks the required scope(s): notes:read."}',
    );
  });

  test.each([
    { name: 'guest without token', headers: {}, message: 'Hello, guest.' },
    {
      name: 'subject with token',
      headers: bearer(STATIC_TOKEN),
      message: 'Hello, static-token-1.',
    },
  ])('hello greets $name', async ({ headers, message }) => {
    const response = await fetch(`${origin}/hello`, { headers });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message });
  });

  test('no configuration rejected when required', () => {
    expect(() => createAppFromEnv({ REMEM_AUTH_REQUIRED: 'true' })).toThrow(AuthConfigError);
  });
});

describe('OpenAI-format routes', () => {
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

  test('OpenAI client with a static token', async () => {
    const completion = await ask(STATIC_TOKEN);

    expect(completion.choices[0]?.message.content).toBe('Hello, static-token-1.');
  });

  test('OpenAI client lists models with a minted token', async () => {
    const models = [];
    for await (const model of client(await mintToken({ sub: 'alice' })).models.list()) {
      models.push(model);
    }

    expect(models).toEqual([{ id: 'example', object: 'model', created: 0, owned_by: 'alice' }]);
  });

  test('raw body in OpenAI format', async () => {
    const response = await fetch(`${origin}/v1/chat/completions`, { method: 'POST' });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).toBe(
      '{"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    );
  });
});
