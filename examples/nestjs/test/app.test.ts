import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { type INestApplication, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { configureApp, type Environment } from '../src/app.module.js';

const STATIC_TOKEN = 'example-static-token';

let idp: LocalIdp;

beforeAll(async () => {
  Logger.overrideLogger(false);
  idp = await startLocalIdp({ audience: 'api://remem-example' });
});

afterAll(async () => {
  await idp.close();
});

async function startService(env: Environment): Promise<{ app: INestApplication; origin: string }> {
  const app = await NestFactory.create(configureApp(env), { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, origin: `http://127.0.0.1:${port}` };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('example service', () => {
  let app: INestApplication;
  let origin: string;

  beforeAll(async () => {
    ({ app, origin } = await startService({
      REMEM_AUTH_IDPS_JSON: idp.idpsJson(),
      REMEM_AUTH_STATIC_TOKENS: STATIC_TOKEN,
    }));
  });

  afterAll(async () => {
    await app.close();
  });

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

  test('greeting optional', async () => {
    const token = await idp.mintToken({ claims: { sub: 'alice', name: 'Alice' } });

    const guest = await fetch(`${origin}/greeting`);
    const alice = await fetch(`${origin}/greeting`, { headers: bearer(token) });

    expect(await guest.json()).toEqual({ hello: 'guest' });
    expect(await alice.json()).toEqual({ hello: 'Alice' });
  });

  test('notes need their scopes', async () => {
    const writer = await idp.mintToken({ claims: { sub: 'bob', scope: 'notes:write' } });
    const reader = await idp.mintToken({ claims: { sub: 'bob', scope: 'notes:read' } });

    const created = await fetch(`${origin}/notes`, {
      method: 'POST',
      headers: { ...bearer(writer), 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'buy milk' }),
    });
    const listed = await fetch(`${origin}/notes`, { headers: bearer(reader) });
    const denied = await fetch(`${origin}/notes`, { headers: bearer(writer) });

    expect(created.status).toBe(201);
    expect(await listed.json()).toEqual([{ owner: 'bob', text: 'buy milk' }]);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
    );
  });

  test('static token accepted', async () => {
    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
  });
});

test('OpenAI client raises its own authentication error', async () => {
  const { app, origin } = await startService({
    REMEM_AUTH_IDPS_JSON: idp.idpsJson(),
    ERROR_FORMAT: 'openai',
  });
  try {
    const client = new OpenAI({ apiKey: 'wrong-key', baseURL: `${origin}/v1`, maxRetries: 0 });

    const error = await client.models.list().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );

    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).status).toBe(401);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
  } finally {
    await app.close();
  }
});
