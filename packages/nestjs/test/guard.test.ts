import { Controller, Get, UseGuards } from '@nestjs/common';
import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  CurrentUser,
  OptionalAuth,
  RememAuthGuard,
  RememAuthModule,
  RequireScopes,
} from '../src/index.js';
import { NotesController, PLATFORMS, STATIC_TOKEN, serve, verifierFor } from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe.each(PLATFORMS)('$platform', (platform) => {
  const globalGuard = () =>
    serve(platform, {
      imports: [RememAuthModule.forRoot({ verifier: verifierFor(idp), globalGuard: true })],
      controllers: [NotesController],
    });

  test('static token accepted', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/me`, { headers: bearer(STATIC_TOKEN) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'static-token-1', authMethod: 'static' });
  });

  test('JWT accepted', async () => {
    const { origin } = await globalGuard();
    const token = await idp.mintToken({ claims: { sub: 'user-1' } });

    const response = await fetch(`${origin}/me`, { headers: bearer(token) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ subject: 'user-1', authMethod: 'jwt' });
  });

  test('public route needs no token', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/public`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ public: true, user: null });
  });

  test('public route ignores an invalid token', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/public`, { headers: bearer('not-a-jwt') });

    expect(response.status).toBe(200);
  });

  test('optional route without token', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/optional`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: null });
  });

  test('optional route with token', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/optional`, { headers: bearer(STATIC_TOKEN) });

    expect(await response.json()).toEqual({ subject: 'static-token-1', authMethod: 'static' });
  });

  test('optional route rejects an invalid token', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/optional`, { headers: bearer('not-a-jwt') });

    expect(response.status).toBe(401);
  });

  test.each([
    { scope: 'notes:read', method: 'GET', status: 200 },
    { scope: 'notes:read', method: 'POST', status: 403 },
    { scope: 'notes:write', method: 'GET', status: 403 },
    { scope: 'notes:write', method: 'POST', status: 201 },
    { scope: 'notes:read notes:write', method: 'POST', status: 201 },
  ])('scope $scope on $method /notes: $status', async ({ scope, method, status }) => {
    const { origin } = await globalGuard();
    const token = await idp.mintToken({ claims: { scope } });

    const response = await fetch(`${origin}/notes`, { method, headers: bearer(token) });

    expect(response.status).toBe(status);
  });

  test('CurrentUser with a property name', async () => {
    const { origin } = await globalGuard();
    const token = await idp.mintToken({ claims: { sub: 'user-2' } });

    const response = await fetch(`${origin}/subject`, { headers: bearer(token) });

    expect(await response.json()).toEqual({ subject: 'user-2' });
  });

  test('user stored on request.rememAuth', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/property`, { headers: bearer(STATIC_TOKEN) });

    expect(await response.json()).toEqual({ rememAuth: 'static-token-1' });
  });

  test('userProperty option renames the property', async () => {
    const { origin } = await serve(platform, {
      imports: [
        RememAuthModule.forRoot({
          verifier: verifierFor(idp),
          userProperty: 'caller',
          globalGuard: true,
        }),
      ],
      controllers: [NotesController],
    });

    const response = await fetch(`${origin}/property`, { headers: bearer(STATIC_TOKEN) });

    expect(await response.json()).toEqual({ caller: 'static-token-1' });
  });

  test('module scopes apply to every route', async () => {
    const { origin } = await serve(platform, {
      imports: [
        RememAuthModule.forRoot({
          verifier: verifierFor(idp),
          scopes: ['api'],
          globalGuard: true,
        }),
      ],
      controllers: [NotesController],
    });
    const readOnly = await idp.mintToken({ claims: { scope: 'notes:read' } });
    const both = await idp.mintToken({ claims: { scope: 'api notes:read' } });

    const without = await fetch(`${origin}/notes`, { headers: bearer(readOnly) });
    const withApi = await fetch(`${origin}/notes`, { headers: bearer(both) });

    expect(without.status).toBe(403);
    expect(without.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): api.", scope="api notes:read"',
    );
    expect(withApi.status).toBe(200);
  });

  test('module optional option', async () => {
    const { origin } = await serve(platform, {
      imports: [
        RememAuthModule.forRoot({ verifier: verifierFor(idp), optional: true, globalGuard: true }),
      ],
      controllers: [NotesController],
    });

    const response = await fetch(`${origin}/me`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: null });
  });

  test('CORS preflight passes', async () => {
    const { origin } = await globalGuard();

    const response = await fetch(`${origin}/me`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'GET' },
    });

    expect(response.status).not.toBe(401);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });

  describe('guard per controller', () => {
    @UseGuards(RememAuthGuard)
    @Controller('guarded')
    class GuardedController {
      @Get()
      guarded() {
        return { guarded: true };
      }
    }

    @Controller('open')
    class OpenController {
      @Get()
      open() {
        return { open: true };
      }
    }

    const perController = () =>
      serve(platform, {
        imports: [RememAuthModule.forRoot({ verifier: verifierFor(idp), isGlobal: true })],
        controllers: [GuardedController, OpenController],
      });

    test('guarded controller rejects no token', async () => {
      const { origin } = await perController();

      const response = await fetch(`${origin}/guarded`);

      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });

    test('guarded controller accepts a token', async () => {
      const { origin } = await perController();

      const response = await fetch(`${origin}/guarded`, { headers: bearer(STATIC_TOKEN) });

      expect(response.status).toBe(200);
    });

    test('other controller stays open', async () => {
      const { origin } = await perController();

      const response = await fetch(`${origin}/open`);

      expect(response.status).toBe(200);
    });
  });

  test('controller decorators apply to its handlers', async () => {
    @RequireScopes('notes:read')
    @OptionalAuth()
    @Controller('scoped')
    class ScopedController {
      @Get()
      read(@CurrentUser('subject') subject: string | undefined) {
        return { subject: subject ?? null };
      }

      @OptionalAuth(false)
      @Get('required')
      required() {
        return { required: true };
      }
    }
    const { origin } = await serve(platform, {
      imports: [RememAuthModule.forRoot({ verifier: verifierFor(idp), globalGuard: true })],
      controllers: [ScopedController],
    });
    const writer = await idp.mintToken({ claims: { scope: 'notes:write' } });

    const anonymous = await fetch(`${origin}/scoped`);
    const underScoped = await fetch(`${origin}/scoped`, { headers: bearer(writer) });
    const required = await fetch(`${origin}/scoped/required`);

    expect(anonymous.status).toBe(200);
    expect(await anonymous.json()).toEqual({ subject: null });
    expect(underScoped.status).toBe(403);
    expect(required.status).toBe(401);
  });
});
