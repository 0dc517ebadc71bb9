import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createApp } from '../src/app.js';
import worker from '../src/worker.js';

const STATIC_TOKEN = 'example-static-token';

let idp: LocalIdp;
let server: Server;
let origin: string;

beforeAll(async () => {
  idp = await startLocalIdp({ audience: 'api://remem-example' });
  const config = loadAuthConfig({
    REMEM_AUTH_IDPS_JSON: idp.idpsJson(),
    REMEM_AUTH_STATIC_TOKENS: STATIC_TOKEN,
  });
  const verifier = new AuthVerifier({ ...config, logger: silentLogger });
  server = createAdaptorServer({ fetch: createApp(verifier).fetch }) as Server;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('Node service', () => {
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

  test('me with a JWT', async () => {
    const token = await idp.mintToken({ claims: { sub: 'ada', email: 'ada@example.com' } });

    const response = await fetch(`${origin}/me`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'ada',
      email: 'ada@example.com',
      authMethod: 'jwt',
    });
  });

  test.each([
    { scope: 'notes:read', status: 200 },
    { scope: 'notes:write', status: 403 },
  ])('notes with scope $scope', async ({ scope, status }) => {
    const token = await idp.mintToken({ claims: { scope } });

    const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

    expect(response.status).toBe(status);
  });

  test.each([
    { headers: {}, message: 'Hello, guest.' },
    { headers: bearer(STATIC_TOKEN), message: 'Hello, static-token-1.' },
  ])('hello says $message', async ({ headers, message }) => {
    const response = await fetch(`${origin}/hello`, { headers });

    expect(await response.json()).toEqual({ message });
  });

  test('OpenAI client with a wrong key', async () => {
    const client = new OpenAI({ apiKey: 'wrong-key', baseURL: `${origin}/v1`, maxRetries: 0 });

    const error = await client.models.list().then(
      () => undefined,
      (reason: unknown) => reason,
    );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  });
});

describe('Workers variant', () => {
  const bindings = { REMEM_AUTH_STATIC_TOKENS: 'worker-token' };

  test('token from the bindings', async () => {
    const response = await worker.request('/me', { headers: bearer('worker-token') }, bindings);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'static-token-1',
      email: null,
      authMethod: 'static',
    });
  });

  test('token outside the bindings', async () => {
    const response = await worker.request('/me', { headers: bearer(STATIC_TOKEN) }, bindings);

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer error="invalid_token", error_description="The token is not a JWT: expected three dot-separated parts, got 1."',
    );
  });
});
