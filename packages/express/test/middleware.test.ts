import { AuthVerifier, silentLogger, type TokenVerifier } from '@remem/auth-core';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import cors from 'cors';
import type { NextFunction, Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {} from '../src/augment.js';
import { authErrorHandler, getUser, rememAuth, requireScopes, requireUser } from '../src/index.js';
import {
  countingVerifier,
  EXPRESS_VERSIONS,
  STATIC_TOKEN,
  sendUser,
  serve,
  verifierFor,
} from './helpers.js';

let idp: LocalIdp;
let verifier: AuthVerifier;

beforeAll(async () => {
  idp = await startLocalIdp();
  verifier = verifierFor(idp);
});

afterAll(async () => {
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const STATIC_USER = { subject: 'static-token-1', authMethod: 'static', scopes: [] };
const MISSING_SCOPE =
  'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"';

// Sends any error that is not an AuthenticationError as a 500 with its message, so tests see
// which error reached it.
function otherErrors(error: Error, _request: Request, response: Response, _next: NextFunction) {
  response.status(500).json({ otherError: error.message });
}

describe.each(EXPRESS_VERSIONS)('$name', ({ create }) => {
  test('static token accepted', async () => {
    const app = create();
    app.get('/me', rememAuth({ verifier }), (request, response) => {
      response.json({
        user: getUser(request),
        sameAsProperty: request.rememAuth === getUser(request),
      });
    });
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      user: { ...STATIC_USER, email: null, name: null, idpName: null, claims: {} },
      sameAsProperty: true,
    });
  });

  test('JWT from the local IdP accepted', async () => {
    const app = create();
    app.get('/me', rememAuth({ verifier }), sendUser);
    const { origin } = await serve(app);
    const token = await idp.mintToken({
      claims: { sub: 'user-1', scope: 'notes:read notes:write' },
    });

    const response = await fetch(`${origin}/me`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      subject: 'user-1',
      authMethod: 'jwt',
      scopes: ['notes:read', 'notes:write'],
    });
  });

  test('api-key header accepted', async () => {
    const app = create();
    app.get('/me', rememAuth({ verifier }), sendUser);
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, { headers: { 'api-key': STATIC_TOKEN } });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(STATIC_USER);
  });

  test('custom userProperty', async () => {
    const app = create();
    app.get('/me', rememAuth({ verifier, userProperty: 'caller' }), (request, response) => {
      const slots = request as unknown as Record<string, unknown>;
      response.json({
        caller: (slots.caller as { subject: string }).subject,
        rememAuth: slots.rememAuth ?? 'unset',
        getUser: getUser(request)?.subject,
      });
    });
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    expect(await response.json()).toEqual({
      caller: 'static-token-1',
      rememAuth: 'unset',
      getUser: 'static-token-1',
    });
  });

  describe('optional mode', () => {
    const cases = [
      {
        name: 'no token passes with null',
        headers: {},
        status: 200,
        body: '{"user":null,"property":null}',
      },
      {
        name: 'static token sets the user',
        headers: bearer(STATIC_TOKEN),
        status: 200,
        body: '{"user":"static-token-1","property":"static-token-1"}',
      },
      {
        name: 'invalid token still fails',
        headers: bearer('not-a-jwt'),
        status: 401,
        body: '{"detail":"The token is not a JWT: expected three dot-separated parts, got 1."}',
      },
    ];

    test.each(cases)('$name', async ({ headers, status, body }) => {
      const app = create();
      app.get('/feed', rememAuth({ verifier, optional: true }), (request, response) => {
        response.json({
          user: getUser(request)?.subject ?? null,
          property: request.rememAuth === null ? null : request.rememAuth?.subject,
        });
      });
      app.use(authErrorHandler());
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/feed`, { headers });

      expect(response.status).toBe(status);
      expect(await response.text()).toBe(body);
    });

    test('requireUser without a user is a 500', async () => {
      const app = create();
      app.get('/feed', rememAuth({ verifier, optional: true }), (request, response) => {
        response.json({ subject: requireUser(request).subject });
      });
      app.use(authErrorHandler(), otherErrors);
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/feed`);

      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        otherError:
          'No authenticated user on this request: run rememAuth() without "optional" before this handler, or use getUser() and handle null.',
      });
    });
  });

  describe('scopes', () => {
    const cases = [
      { scope: 'notes:read', status: 200, challenge: null },
      { scope: 'notes:read notes:write', status: 200, challenge: null },
      { scope: 'notes:write', status: 403, challenge: MISSING_SCOPE },
    ];

    test.each(cases)(
      'option with scope "$scope" gives $status',
      async ({ scope, status, challenge }) => {
        const app = create();
        app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), sendUser);
        app.use(authErrorHandler());
        const { origin } = await serve(app);
        const token = await idp.mintToken({ claims: { scope } });

        const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

        expect(response.status).toBe(status);
        expect(response.headers.get('www-authenticate')).toBe(challenge);
      },
    );

    test.each(cases)(
      'requireScopes with scope "$scope" gives $status',
      async ({ scope, status, challenge }) => {
        const app = create();
        app.use(rememAuth({ verifier }));
        app.get('/notes', requireScopes('notes:read'), sendUser);
        app.use(authErrorHandler());
        const { origin } = await serve(app);
        const token = await idp.mintToken({ claims: { scope } });

        const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

        expect(response.status).toBe(status);
        expect(response.headers.get('www-authenticate')).toBe(challenge);
      },
    );

    test('requireScopes on an optional route without a token', async () => {
      const app = create();
      app.use(rememAuth({ verifier, optional: true }));
      app.get('/notes', requireScopes('notes:read'), sendUser);
      app.use(authErrorHandler());
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/notes`);

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(await response.text()).toBe('{"detail":"No token provided"}');
    });

    test('requireScopes before rememAuth is a 500', async () => {
      const app = create();
      app.get('/notes', requireScopes('notes:read'), sendUser);
      app.use(authErrorHandler(), otherErrors);
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/notes`, { headers: bearer(STATIC_TOKEN) });

      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        otherError:
          'requireScopes() ran before any rememAuth() middleware on this request; mount rememAuth() first.',
      });
    });
  });

  test('router-wide and route middleware verify once', async () => {
    const counting = countingVerifier(verifier);
    const app = create();
    app.use(rememAuth({ verifier: counting }));
    app.get('/notes', rememAuth({ verifier: counting, scopes: ['notes:read'] }), sendUser);
    const { origin } = await serve(app);
    const token = await idp.mintToken({ claims: { sub: 'user-1', scope: 'notes:read' } });

    const response = await fetch(`${origin}/notes`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(counting.calls).toBe(1);
  });

  test('user from another verifier not trusted', async () => {
    const staticOnly = new AuthVerifier({ staticTokens: [STATIC_TOKEN], logger: silentLogger });
    const idpOnly = new AuthVerifier({ idps: [idp.idpConfig() as never], logger: silentLogger });
    const app = create();
    app.use(rememAuth({ verifier: staticOnly }));
    app.get('/admin', rememAuth({ verifier: idpOnly }), sendUser);
    app.use(authErrorHandler());
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/admin`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(401);
    expect(await response.text()).toBe(
      '{"detail":"The token is not a JWT: expected three dot-separated parts, got 1."}',
    );
  });

  test('failed middleware keeps the earlier verifier', async () => {
    const staticOnly = new AuthVerifier({ staticTokens: [STATIC_TOKEN], logger: silentLogger });
    const idpOnly = new AuthVerifier({ idps: [idp.idpConfig() as never], logger: silentLogger });
    const app = create();
    app.use(rememAuth({ verifier: staticOnly }));
    // An error handler that lets the request go on, then a second middleware of the verifier
    // that just rejected the token: it must reject it again.
    app.use('/admin', rememAuth({ verifier: idpOnly }));
    app.use('/admin', (_error: Error, _request: Request, _response: Response, next: NextFunction) =>
      next(),
    );
    app.get('/admin', rememAuth({ verifier: idpOnly }), sendUser);
    app.use(authErrorHandler());
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/admin`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(401);
  });

  test('authentication disabled gives an anonymous user', async () => {
    const open = new AuthVerifier({ logger: silentLogger });
    const app = create();
    app.get('/me', rememAuth({ verifier: open, scopes: ['notes:read'] }), sendUser);
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'anonymous', authMethod: 'none', scopes: [] });
  });

  describe('CORS', () => {
    test('preflight not challenged', async () => {
      const app = create();
      app.use(rememAuth({ verifier }), requireScopes('notes:read'));
      app.use(cors({ origin: 'http://127.0.0.1:5173' }));
      app.get('/notes', sendUser);
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/notes`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:5173',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });

      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
      expect(response.headers.get('access-control-allow-headers')).toBe('authorization');
      expect(response.headers.get('www-authenticate')).toBeNull();
    });

    test('plain OPTIONS still challenged', async () => {
      const app = create();
      app.use(rememAuth({ verifier }));
      app.options('/notes', (_request, response) => {
        response.sendStatus(204);
      });
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/notes`, { method: 'OPTIONS' });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });
  });

  describe('challenge options', () => {
    const challenge =
      'Bearer realm="notes", error="invalid_token", error_description="The token is not a JWT: expected three dot-separated parts, got 1.", resource_metadata="http://127.0.0.1/.well-known/oauth-protected-resource"';
    const options = {
      realm: 'notes',
      resourceMetadata: 'http://127.0.0.1/.well-known/oauth-protected-resource',
    };

    test('set on the middleware, final handler', async () => {
      const app = create();
      app.get('/me', rememAuth({ verifier, ...options }), sendUser);
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/me`, { headers: bearer('not-a-jwt') });

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(challenge);
    });

    test('set on the middleware, error handler', async () => {
      const app = create();
      app.get('/me', rememAuth({ verifier, ...options }), sendUser);
      app.use(authErrorHandler());
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/me`, { headers: bearer('not-a-jwt') });

      expect(response.headers.get('www-authenticate')).toBe(challenge);
    });

    test('set on the error handler', async () => {
      const app = create();
      app.get('/me', rememAuth({ verifier }), sendUser);
      app.use(authErrorHandler(options));
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/me`, { headers: bearer('not-a-jwt') });

      expect(response.headers.get('www-authenticate')).toBe(challenge);
    });
  });

  test('middleware format overrides the handler', async () => {
    const app = create();
    app.get('/v1/models', rememAuth({ verifier, format: 'openai' }), sendUser);
    app.get('/me', rememAuth({ verifier }), sendUser);
    app.use(authErrorHandler({ format: 'default' }));
    const { origin } = await serve(app);

    const openai = await fetch(`${origin}/v1/models`);
    const plain = await fetch(`${origin}/me`);

    expect(await openai.text()).toBe(
      '{"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
    );
    expect(await plain.text()).toBe('{"detail":"No token provided"}');
  });

  test('HEAD failure without a body', async () => {
    const app = create();
    app.get('/me', rememAuth({ verifier }), sendUser);
    app.use(authErrorHandler());
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, { method: 'HEAD' });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).toBe('');
  });

  test('other errors pass the handler', async () => {
    const app = create();
    app.get('/boom', rememAuth({ verifier }), () => {
      throw new Error('handler failed');
    });
    app.use(authErrorHandler(), otherErrors);
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/boom`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ otherError: 'handler failed' });
  });

  test('rejected verifier reaches the error handlers', async () => {
    const broken: TokenVerifier = {
      authEnabled: true,
      verifyToken: () => Promise.reject(new Error('verifier crashed')),
    };
    const app = create();
    app.get('/me', rememAuth({ verifier: broken }), sendUser);
    app.use(authErrorHandler(), otherErrors);
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ otherError: 'verifier crashed' });
  });

  test('user hidden from serialisation of the request', async () => {
    const app = create();
    app.get('/me', rememAuth({ verifier, userProperty: 'caller' }), (request, response) => {
      const symbols = Object.getOwnPropertySymbols(request).map((symbol) => symbol.description);
      const enumerable = Object.keys(request).filter((key) => key.includes('remem'));
      response.json({ symbols: symbols.filter((name) => name?.includes('remem')), enumerable });
    });
    const { origin } = await serve(app);

    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    // The state lives in a WeakMap keyed by the request, so nothing of it is on the request.
    expect(await response.json()).toEqual({ symbols: [], enumerable: [] });
  });
});
