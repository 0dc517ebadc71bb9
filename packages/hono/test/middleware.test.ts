import { AuthConfigError, AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { getUser, type RememAuthEnv, rememAuth, requireUser } from '../src/index.js';
import { STATIC_TOKEN, sendUser, verifierFor } from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('required mode', () => {
  test('static token sets the user', async () => {
    const app = new Hono<RememAuthEnv>();
    app.get('/me', rememAuth({ verifier: verifierFor(idp) }), sendUser);

    const response = await app.request('/me', { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'static-token-1',
      authMethod: 'static',
      scopes: [],
    });
  });

  test('JWT sets the user on c.get', async () => {
    const app = new Hono<RememAuthEnv>();
    app.use('/api/*', rememAuth({ verifier: verifierFor(idp) }));
    app.get('/api/me', (c) => c.json({ subject: c.get('rememAuth')?.subject }));
    const token = await idp.mintToken({ claims: { sub: 'user-7' } });

    const response = await app.request('/api/me', { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'user-7' });
  });

  test('handler does not run on failure', async () => {
    let ran = false;
    const app = new Hono();
    app.get('/me', rememAuth({ verifier: verifierFor(idp) }), (c) => {
      ran = true;
      return c.text('ok');
    });

    const response = await app.request('/me');

    expect(response.status).toBe(401);
    expect(ran).toBe(false);
  });
});

describe('optional mode', () => {
  const app = new Hono();
  beforeAll(() => {
    app.get('/feed', rememAuth({ verifier: verifierFor(idp), optional: true }), sendUser);
  });

  test('no token gives a null user', async () => {
    const response = await app.request('/feed');

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: null });
  });

  test('valid token gives the user', async () => {
    const response = await app.request('/feed', { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ subject: 'static-token-1' });
  });

  test('invalid token still fails', async () => {
    const response = await app.request('/feed', { headers: bearer('wrong') });

    expect(response.status).toBe(401);
    expect(await response.text()).toBe(
      JSON.stringify({
        detail: 'The token is not a JWT: expected three dot-separated parts, got 1.',
      }),
    );
  });
});

describe('scopes', () => {
  test.each([
    { scope: 'notes:read', status: 200 },
    { scope: 'notes:read notes:write', status: 200 },
    { scope: 'notes:write', status: 403 },
    { scope: '', status: 403 },
  ])('scope "$scope" gives $status', async ({ scope, status }) => {
    const app = new Hono();
    app.get('/notes', rememAuth({ verifier: verifierFor(idp), scopes: ['notes:read'] }), (c) =>
      c.json([]),
    );
    const token = await idp.mintToken({ claims: { scope } });

    const response = await app.request('/notes', { headers: bearer(token) });

    expect(response.status).toBe(status);
  });
});

describe('CORS', () => {
  function createApp(): Hono {
    const app = new Hono();
    app.use('*', cors({ origin: 'http://127.0.0.1:5173' }));
    app.use('*', rememAuth({ verifier: verifierFor(idp) }));
    app.get('/me', sendUser);
    return app;
  }

  test('preflight passes unauthenticated', async () => {
    const response = await createApp().request('/me', {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'GET' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  test('plain OPTIONS is authenticated', async () => {
    const app = new Hono();
    app.use('*', rememAuth({ verifier: verifierFor(idp) }));
    app.options('/me', (c) => c.text('options'));

    const response = await app.request('/me', { method: 'OPTIONS' });

    expect(response.status).toBe(401);
  });

  test('401 keeps the CORS headers', async () => {
    const response = await createApp().request('/me', {
      headers: { origin: 'http://127.0.0.1:5173' },
    });

    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).toBe('{"detail":"No token provided"}');
  });
});

describe('configuration', () => {
  test('AuthConfig builds one verifier', async () => {
    const app = new Hono();
    app.get('/me', rememAuth({ config: { staticTokens: [STATIC_TOKEN] } }), sendUser);

    const ok = await app.request('/me', { headers: bearer(STATIC_TOKEN) });
    const rejected = await app.request('/me', { headers: bearer('other-token') });

    expect(ok.status).toBe(200);
    expect(rejected.status).toBe(401);
  });

  test('function of the context runs once per env', async () => {
    type Bindings = { REMEM_AUTH_STATIC_TOKENS: string };
    const built: string[] = [];
    const app = new Hono<{ Bindings: Bindings } & RememAuthEnv>();
    app.use(
      '*',
      rememAuth<{ Bindings: Bindings }>({
        config: (c) => {
          built.push(c.env.REMEM_AUTH_STATIC_TOKENS);
          return loadAuthConfig(c.env);
        },
      }),
    );
    app.get('/me', (c) => c.json({ subject: c.get('rememAuth')?.subject }));
    const first: Bindings = { REMEM_AUTH_STATIC_TOKENS: 'first-token' };
    const second: Bindings = { REMEM_AUTH_STATIC_TOKENS: 'second-token' };

    const statuses = [
      (await app.request('/me', { headers: bearer('first-token') }, first)).status,
      (await app.request('/me', { headers: bearer('first-token') }, first)).status,
      (await app.request('/me', { headers: bearer('first-token') }, second)).status,
      (await app.request('/me', { headers: bearer('second-token') }, second)).status,
    ];

    expect(statuses).toEqual([200, 200, 401, 200]);
    expect(built).toEqual(['first-token', 'second-token']);
  });

  test('function may return a verifier', async () => {
    const verifier = verifierFor(idp);
    const app = new Hono();
    app.get('/me', rememAuth({ config: () => verifier }), sendUser);

    const response = await app.request('/me', { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
  });

  test('verifier fetches keys once across requests', async () => {
    const own = await startLocalIdp();
    try {
      const verifier = new AuthVerifier({ idps: [own.idpConfig() as never], logger: silentLogger });
      const app = new Hono();
      app.get('/me', rememAuth({ verifier }), sendUser);
      expect(own.jwksRequestCount).toBe(0);

      for (const subject of ['a', 'b', 'c']) {
        const token = await own.mintToken({ claims: { sub: subject } });
        expect((await app.request('/me', { headers: bearer(token) })).status).toBe(200);
      }

      expect(own.jwksRequestCount).toBe(1);
    } finally {
      await own.close();
    }
  });

  test.each([
    [
      'verifier without verifyToken',
      { verifier: {} },
      'Option "verifier" must have a verifyToken method, like an AuthVerifier.',
    ],
    [
      'config string',
      { config: 'x' },
      'Option "config" must be an AuthConfig object or a function of the context.',
    ],
    [
      'config and verifier',
      { config: {}, verifier: new AuthVerifier({ staticTokens: ['t'], logger: silentLogger }) },
      'Options "config" and "verifier" are both set; give only one.',
    ],
    ['optional string', { optional: 'yes' }, 'Option "optional" must be true or false.'],
    [
      'scopes string',
      { scopes: 'notes:read' },
      'Option "scopes" must be an array of scope strings, such as ["notes:read"].',
    ],
    [
      'scope with a space',
      { scopes: ['notes read'] },
      'Option "scopes" contains "notes read", which is not a scope token; give one scope per entry, without spaces or quotes.',
    ],
    ['unknown format', { format: 'xml' }, 'Option "format" must be one of "default", "openai".'],
    ['realm number', { realm: 1 }, 'Option "realm" must be a string.'],
    [
      'unknown option',
      { userProperty: 'user' },
      'Unknown option "userProperty" of @remem/auth-hono; remove it or fix its name.',
    ],
  ])('invalid option: %s', (_name, options, problem) => {
    const error = (() => {
      try {
        rememAuth(options as never);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    expect(error).toBeInstanceOf(AuthConfigError);
    expect((error as AuthConfigError).problems).toEqual([problem]);
  });
});

describe('user accessors', () => {
  test('getUser is null without middleware', async () => {
    const app = new Hono();
    app.get('/', (c) => c.json({ user: getUser(c) }));

    expect(await (await app.request('/')).json()).toEqual({ user: null });
  });

  test('requireUser throws without a user', async () => {
    const app = new Hono();
    app.get('/feed', rememAuth({ verifier: verifierFor(idp), optional: true }), (c) =>
      c.text(requireUser(c).subject),
    );
    app.onError((error, c) => c.text(error.message, 500));

    const response = await app.request('/feed');

    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/^No authenticated user on this request/);
  });

  test('requireUser returns the user', async () => {
    const app = new Hono();
    app.get('/me', rememAuth({ verifier: verifierFor(idp) }), (c) =>
      c.text(requireUser(c).subject),
    );

    const response = await app.request('/me', { headers: bearer(STATIC_TOKEN) });

    expect(await response.text()).toBe('static-token-1');
  });
});
