import { AuthConfigError, AuthVerifier, silentLogger } from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rememAuth } from '../src/index.js';
import { createApp, openAiBody, STATIC_TOKEN, verifierFor } from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

test('plugin guards only its own context', async () => {
  const app = createApp();
  await app.register(async (api) => {
    await api.register(rememAuth, { verifier: verifierFor(idp), global: true });
    api.get('/api/me', async (request) => ({ subject: request.rememAuth?.subject }));
  });
  await app.register(async (site) => {
    site.get('/site', async (request) => ({
      hasAuthenticate: site.hasDecorator('authenticate'),
      property: 'rememAuth' in request,
    }));
  });
  app.get('/root', async () => ({ hasAuthenticate: app.hasDecorator('authenticate') }));

  const api = await app.inject({ url: '/api/me' });
  const site = await app.inject({ url: '/site' });
  const root = await app.inject({ url: '/root' });

  expect(api.statusCode).toBe(401);
  expect(site.statusCode).toBe(200);
  expect(site.json()).toEqual({ hasAuthenticate: false, property: false });
  expect(root.statusCode).toBe(200);
  expect(root.json()).toEqual({ hasAuthenticate: false });
});

test('child context inherits the plugin', async () => {
  const app = createApp();
  await app.register(rememAuth, { verifier: verifierFor(idp), global: true });
  await app.register(
    async (child) => {
      child.get('/me', async (request) => ({ subject: request.rememAuth?.subject }));
    },
    { prefix: '/child' },
  );

  const anonymous = await app.inject({ url: '/child/me' });
  const authenticated = await app.inject({
    url: '/child/me',
    headers: { authorization: `Bearer ${STATIC_TOKEN}` },
  });

  expect(anonymous.statusCode).toBe(401);
  expect(authenticated.json()).toEqual({ subject: 'static-token-1' });
});

test('sibling contexts with their own options', async () => {
  const app = createApp();
  await app.register(async (v1) => {
    await v1.register(rememAuth, { verifier: verifierFor(idp), global: true });
    v1.get('/v1/me', async () => ({}));
  });
  await app.register(async (openai) => {
    const verifier = new AuthVerifier({ staticTokens: ['other-token'], logger: silentLogger });
    await openai.register(rememAuth, { verifier, global: true, format: 'openai' });
    openai.get('/v2/me', async (request) => ({ subject: request.rememAuth?.subject }));
  });
  const headers = { authorization: `Bearer ${STATIC_TOKEN}` };

  const v1 = await app.inject({ url: '/v1/me', headers });
  const v2 = await app.inject({ url: '/v2/me', headers });
  const v2Other = await app.inject({
    url: '/v2/me',
    headers: { authorization: 'Bearer other-token' },
  });

  expect(v1.statusCode).toBe(200);
  expect(v2.statusCode).toBe(401);
  expect(v2.body).toBe(
    openAiBody(401, 'The token is not a JWT: expected three dot-separated parts, got 1.'),
  );
  expect(v2Other.json()).toEqual({ subject: 'static-token-1' });
});

test('second registration in one lineage rejected', async () => {
  const app = createApp();
  await app.register(rememAuth, { verifier: verifierFor(idp) });
  app.register(async (child) => {
    await child.register(rememAuth, { verifier: verifierFor(idp) });
  });

  const error = await app.ready().then(
    () => undefined,
    (reason: unknown) => reason,
  );

  expect(error).toBeInstanceOf(AuthConfigError);
  expect((error as AuthConfigError).problems).toEqual([
    'The Fastify instance already has an "authenticate" decorator: register @remem/auth-fastify once per context (a child context inherits it), or remove the other decorator.',
    'Requests already have a "rememAuth" decorator (another plugin set it); choose another name with the "userProperty" option.',
  ]);
});
