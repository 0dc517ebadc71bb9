import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildProtectedResourceMetadata,
  mcpFetchAuth,
  protectedResourceMetadataUrl,
  STATIC_TOKEN_EXPIRES_IN_SECONDS,
} from '../src/index.js';
import { AUDIENCE, createVerifier, STATIC_TOKEN } from './helpers.js';

let idp: LocalIdp;
let authenticate: ReturnType<typeof mcpFetchAuth>;

beforeAll(async () => {
  idp = await startLocalIdp();
  authenticate = mcpFetchAuth({ verifier: createVerifier(idp) });
});

afterAll(async () => {
  await idp.close();
});

function request(token?: string, init: RequestInit = {}): Request {
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('authorization', `Bearer ${token}`);
  return new Request('http://127.0.0.1/mcp', { ...init, headers });
}

describe('AuthInfo', () => {
  test.each([
    ['azp', { azp: 'from-azp', client_id: 'from-client-id', appid: 'from-appid' }, 'from-azp'],
    ['client_id', { client_id: 'from-client-id', appid: 'from-appid' }, 'from-client-id'],
    ['appid', { appid: 'from-appid' }, 'from-appid'],
    ['subject fallback', {}, 'alice'],
  ])('clientId from %s', async (_name, claims, expected) => {
    const token = await idp.mintToken({ claims: { sub: 'alice', aud: AUDIENCE, ...claims } });

    const authInfo = await authenticate(request(token));

    expect(authInfo).not.toBeInstanceOf(Response);
    expect((authInfo as { clientId: string }).clientId).toBe(expected);
  });

  test('JWT fields', async () => {
    const token = await idp.mintToken({
      claims: { sub: 'alice', aud: ['api://other', AUDIENCE], scope: 'a b', exp: 4_102_444_800 },
    });

    const authInfo = await authenticate(request(token));

    expect(authInfo).toMatchObject({
      token,
      scopes: ['a', 'b'],
      expiresAt: 4_102_444_800,
      resource: new URL(AUDIENCE),
    });
  });

  test('static token gets synthetic expiry', async () => {
    const before = Math.floor(Date.now() / 1000);

    const authInfo = (await authenticate(request(STATIC_TOKEN))) as { expiresAt: number };

    expect(authInfo.expiresAt).toBeGreaterThanOrEqual(before + STATIC_TOKEN_EXPIRES_IN_SECONDS);
    expect(authInfo.expiresAt).toBeLessThanOrEqual(
      Math.ceil(Date.now() / 1000) + STATIC_TOKEN_EXPIRES_IN_SECONDS,
    );
    expect(authInfo).not.toHaveProperty('resource');
  });

  test('token absent from JSON of extra', async () => {
    const authInfo = (await authenticate(request(STATIC_TOKEN))) as { extra: unknown };

    expect(JSON.stringify(authInfo.extra)).not.toContain(STATIC_TOKEN);
  });
});

describe('mcpFetchAuth', () => {
  test('no token gets 401', async () => {
    const response = (await authenticate(request())) as Response;

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.text()).toBe('{"detail":"No token provided"}');
  });

  test('preflight passes', async () => {
    const preflight = request(undefined, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST' },
    });

    expect(await authenticate(preflight)).toBeUndefined();
  });

  test('optional passes without token', async () => {
    const optional = mcpFetchAuth({ verifier: createVerifier(idp), optional: true });

    expect(await optional(request())).toBeUndefined();
    expect(await optional(request('bad'))).toBeInstanceOf(Response);
  });

  test('unknown option rejected', () => {
    expect(() => mcpFetchAuth({ scope: ['x'] } as never)).toThrow(/Unknown option "scope"/);
  });
});

describe('protected-resource metadata', () => {
  test.each([
    [
      'https://mcp.example.com/mcp',
      'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
    ],
    ['https://mcp.example.com', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
    ['https://mcp.example.com/', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
  ])('metadata URL of %s', (resource, expected) => {
    expect(protectedResourceMetadataUrl(resource)).toBe(expected);
  });

  test.each([
    ['http resource off loopback', 'http://mcp.example.com/mcp', ['https://idp.example.com']],
    ['fragment', 'https://mcp.example.com/mcp#x', ['https://idp.example.com']],
    ['no authorization server', 'https://mcp.example.com/mcp', []],
    ['relative server', 'https://mcp.example.com/mcp', ['/idp']],
  ])('builder rejects %s', (_name, resource, authorizationServers) => {
    expect(() => buildProtectedResourceMetadata({ resource, authorizationServers })).toThrow(
      /Invalid remem-auth configuration/,
    );
  });
});
