import cors from '@fastify/cors';
import {
  AuthenticatedUser,
  AuthenticationError,
  AuthVerifier,
  isAuthenticationError,
  renderAuthError,
  silentLogger,
} from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import Fastify, { type FastifyError } from 'fastify';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import { rememAuth } from '../src/index.js';
import {
  countingVerifier,
  createApp,
  describeUser,
  openAiBody,
  protectedApp,
  STATIC_TOKEN,
  verifierFor,
} from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const NO_TOKEN = JSON.stringify({ detail: 'No token provided' });

describe('global mode', () => {
  test('JWT user on request', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });
    const token = await idp.mintToken({ claims: { sub: 'alice' } });

    const response = await app.inject({ url: '/me', headers: bearer(token) });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'alice', authMethod: 'jwt' });
  });

  test('static token through api-key header', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({ url: '/me', headers: { 'api-key': STATIC_TOKEN } });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'static-token-1', authMethod: 'static' });
  });

  test('opted-out route open', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({ url: '/public' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ public: true });
  });

  test('unknown route challenged before 404', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const anonymous = await app.inject({ url: '/missing' });
    const authenticated = await app.inject({ url: '/missing', headers: bearer(STATIC_TOKEN) });

    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toBe(NO_TOKEN);
    expect(authenticated.statusCode).toBe(404);
  });

  test('HEAD route guarded like GET', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({ method: 'HEAD', url: '/me' });

    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });

  test('body not parsed before authentication', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({
      method: 'POST',
      url: '/notes',
      headers: { 'content-type': 'application/json' },
      payload: '{"not json',
    });

    expect(response.statusCode).toBe(401);
    expect(response.body).toBe(NO_TOKEN);
  });

  test('decorator listed on a global route runs once', async () => {
    const verifier = countingVerifier(verifierFor(idp));
    const app = createApp();
    await app.register(rememAuth, { verifier, global: true });
    app.get('/twice', { onRequest: app.authenticate }, async (request) =>
      describeUser(request.rememAuth),
    );

    const response = await app.inject({ url: '/twice', headers: bearer(STATIC_TOKEN) });

    expect(response.statusCode).toBe(200);
    expect(verifier.calls).toBe(1);
  });
});

describe('route config', () => {
  test('optional route without token', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({ url: '/optional' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: null });
  });

  test('optional route with a valid token', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({ url: '/optional', headers: bearer(STATIC_TOKEN) });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'static-token-1', authMethod: 'static' });
  });

  test('optional route with an invalid token', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });

    const response = await app.inject({ url: '/optional', headers: bearer('not-a-jwt') });

    expect(response.statusCode).toBe(401);
    expect(response.body).toBe(
      JSON.stringify({
        detail: 'The token is not a JWT: expected three dot-separated parts, got 1.',
      }),
    );
  });

  test('optional plugin, required route', async () => {
    const app = createApp();
    await app.register(rememAuth, { verifier: verifierFor(idp), global: true, optional: true });
    app.get('/open', async (request) => describeUser(request.rememAuth));
    app.get('/strict', { config: { rememAuth: { optional: false } } }, async () => ({}));

    const open = await app.inject({ url: '/open' });
    const strict = await app.inject({ url: '/strict' });

    expect(open.statusCode).toBe(200);
    expect(open.json()).toEqual({ user: null });
    expect(strict.statusCode).toBe(401);
    expect(strict.body).toBe(NO_TOKEN);
  });

  test.each([
    { scope: 'notes:read', method: 'GET' as const, status: 200 },
    { scope: 'notes:read notes:write', method: 'POST' as const, status: 200 },
    { scope: 'notes:read', method: 'POST' as const, status: 403 },
    { scope: '', method: 'GET' as const, status: 403 },
  ])('scope "$scope" on $method /notes gives $status', async ({ scope, method, status }) => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });
    const token = await idp.mintToken({ claims: { scope } });

    const response = await app.inject({ method, url: '/notes', headers: bearer(token) });

    expect(response.statusCode).toBe(status);
  });

  test('plugin scopes add to route scopes', async () => {
    const app = createApp();
    await app.register(rememAuth, { verifier: verifierFor(idp), global: true, scopes: ['api'] });
    app.get('/notes', { config: { rememAuth: { scopes: ['notes:read'] } } }, async () => []);
    const routeOnly = await idp.mintToken({ claims: { scope: 'notes:read' } });
    const both = await idp.mintToken({ claims: { scope: 'api notes:read' } });

    const rejected = await app.inject({ url: '/notes', headers: bearer(routeOnly) });
    const accepted = await app.inject({ url: '/notes', headers: bearer(both) });

    expect(rejected.statusCode).toBe(403);
    expect(rejected.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): api.", scope="api notes:read"',
    );
    expect(accepted.statusCode).toBe(200);
  });
});

describe('without global mode', () => {
  test('route without config stays open', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp) });

    const response = await app.inject({ url: '/me' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ user: null });
  });

  test('route config turns authentication on', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp) });

    const response = await app.inject({ url: '/notes' });

    expect(response.statusCode).toBe(401);
    expect(response.body).toBe(NO_TOKEN);
  });

  test('HEAD route of a configured GET guarded', async () => {
    const verifier = countingVerifier(verifierFor(idp));
    const app = await protectedApp({ verifier });

    const anonymous = await app.inject({ method: 'HEAD', url: '/notes' });
    const token = await idp.mintToken({ claims: { scope: 'notes:read' } });
    const authenticated = await app.inject({
      method: 'HEAD',
      url: '/notes',
      headers: bearer(token),
    });

    expect(anonymous.statusCode).toBe(401);
    expect(authenticated.statusCode).toBe(200);
    expect(verifier.calls).toBe(2);
  });

  test('decorator as onRequest hook', async () => {
    const app = createApp();
    await app.register(rememAuth, { verifier: verifierFor(idp) });
    app.get('/me', { onRequest: [app.authenticate] }, async (request) =>
      describeUser(request.rememAuth),
    );

    const anonymous = await app.inject({ url: '/me' });
    const authenticated = await app.inject({ url: '/me', headers: bearer(STATIC_TOKEN) });

    expect(anonymous.statusCode).toBe(401);
    expect(authenticated.json()).toEqual({ subject: 'static-token-1', authMethod: 'static' });
  });

  test('decorator and route config run once', async () => {
    const verifier = countingVerifier(verifierFor(idp));
    const app = createApp();
    await app.register(rememAuth, { verifier });
    app.get(
      '/notes',
      { onRequest: app.authenticate, config: { rememAuth: { scopes: ['notes:read'] } } },
      async () => [],
    );
    const token = await idp.mintToken({ claims: { scope: 'notes:read' } });

    const response = await app.inject({ url: '/notes', headers: bearer(token) });

    expect(response.statusCode).toBe(200);
    expect(verifier.calls).toBe(1);
  });

  test('decorator added with addHook', async () => {
    const app = createApp();
    await app.register(rememAuth, { verifier: verifierFor(idp) });
    await app.register(async (child) => {
      child.addHook('onRequest', child.authenticate);
      child.get('/inside', async () => ({}));
    });
    app.get('/outside', async () => ({}));

    expect((await app.inject({ url: '/inside' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/outside' })).statusCode).toBe(200);
  });
});

describe('CORS preflight', () => {
  test('preflight passes, plain OPTIONS is challenged', async () => {
    const app = createApp();
    await app.register(rememAuth, { verifier: verifierFor(idp), global: true });
    await app.register(cors, { origin: 'http://app.test' });
    app.get('/me', async () => ({}));

    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/me',
      headers: {
        origin: 'http://app.test',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    const plain = await app.inject({ method: 'OPTIONS', url: '/me' });

    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('http://app.test');
    expect(plain.statusCode).toBe(401);
  });
});

describe('request property', () => {
  test('typed rememAuth property', async () => {
    const app = createApp();
    await app.register(rememAuth, { verifier: verifierFor(idp), global: true });
    app.get('/me', async (request) => {
      expectTypeOf(request.rememAuth).toEqualTypeOf<AuthenticatedUser | null>();
      return { isUser: request.rememAuth instanceof AuthenticatedUser };
    });

    const response = await app.inject({ url: '/me', headers: bearer(STATIC_TOKEN) });

    expect(response.json()).toEqual({ isUser: true });
  });

  test('custom property name', async () => {
    const app = createApp();
    await app.register(rememAuth, {
      verifier: verifierFor(idp),
      global: true,
      userProperty: 'caller',
    });
    app.get('/me', async (request) => {
      const caller = (request as unknown as { caller: AuthenticatedUser }).caller;
      return { subject: caller.subject, rememAuth: request.rememAuth ?? 'absent' };
    });

    const response = await app.inject({ url: '/me', headers: bearer(STATIC_TOKEN) });

    expect(response.json()).toEqual({ subject: 'static-token-1', rememAuth: 'absent' });
  });

  test('disabled authentication gives anonymous user', async () => {
    const verifier = new AuthVerifier({ logger: silentLogger });
    const app = await protectedApp({ verifier, global: true });

    const response = await app.inject({ url: '/me' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'anonymous', authMethod: 'none' });
  });

  test('token absent from serialized user', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true });
    app.get('/dump', async (request) => JSON.stringify(request.rememAuth));

    const response = await app.inject({ url: '/dump', headers: bearer(STATIC_TOKEN) });

    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(STATIC_TOKEN);
  });
});

describe('error handling', () => {
  test('reply mode skips the user error handler', async () => {
    const seen: unknown[] = [];
    const app = createApp();
    app.setErrorHandler(async (error, _request, reply) => {
      seen.push(error);
      return reply.code(500).send({ handled: true });
    });
    await protectedApp({ verifier: verifierFor(idp), global: true }, app);

    const response = await app.inject({ url: '/me' });

    expect(response.statusCode).toBe(401);
    expect(response.body).toBe(NO_TOKEN);
    expect(seen).toEqual([]);
  });

  test('failure logged without the token', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) };
    const app = Fastify({ logger: { level: 'info', stream } });
    try {
      await protectedApp({ verifier: verifierFor(idp), global: true }, app);

      await app.inject({ url: '/me', headers: bearer('not-a-jwt') });

      const failures = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => entry.msg === 'authentication failed');
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ level: 30, code: 'malformed_token', statusCode: 401 });
      expect(lines.join('')).not.toContain('not-a-jwt');
    } finally {
      await app.close();
    }
  });

  test('throw mode with Fastify default handler', async () => {
    const app = await protectedApp({ verifier: verifierFor(idp), global: true, errors: 'throw' });

    const missing = await app.inject({ url: '/me' });
    const token = await idp.mintToken({ claims: { scope: '' } });
    const forbidden = await app.inject({ url: '/notes', headers: bearer(token) });

    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(missing.body).toBe(
      '{"statusCode":401,"code":"missing_token","error":"Unauthorized","message":"No token provided"}',
    );
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['www-authenticate']).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
    );
  });

  test('throw mode hands the core error to the user handler', async () => {
    const seen: unknown[] = [];
    const app = createApp();
    app.setErrorHandler((error: FastifyError, _request, reply) => {
      seen.push(error);
      if (!isAuthenticationError(error)) throw error;
      const { status, headers, body } = renderAuthError(error, { format: 'openai' });
      reply.code(status).headers(headers).send(Buffer.from(body));
    });
    await protectedApp({ verifier: verifierFor(idp), global: true, errors: 'throw' }, app);
    app.get('/crash', { config: { rememAuth: false } }, async () => {
      throw new RangeError('handler crashed');
    });

    const response = await app.inject({ url: '/me' });
    const crash = await app.inject({ url: '/crash' });

    expect(crash.statusCode).toBe(500);
    expect(crash.json()).toMatchObject({ statusCode: 500, message: 'handler crashed' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBeInstanceOf(AuthenticationError);
    expect(seen[0]).toMatchObject({ code: 'missing_token', status: 401, statusCode: 401 });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.body).toBe(openAiBody(401, 'No token provided'));
  });

  test('verifier failure is not an auth error', async () => {
    const app = createApp();
    const broken = {
      authEnabled: true,
      verifyToken: async () => {
        throw new TypeError('verifier crashed');
      },
    };
    await app.register(rememAuth, { verifier: broken, global: true });
    app.get('/me', async () => ({}));

    const response = await app.inject({ url: '/me', headers: bearer(STATIC_TOKEN) });

    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ statusCode: 500, message: 'verifier crashed' });
  });
});
