import { describe, expect, it } from 'vitest';
import {
  AuthVerifier,
  authenticateRequest,
  authenticateRequestEagerly,
  silentLogger,
  toVerifier,
} from '../src/index.js';
import { localIdp, rejection } from './helpers.js';

describe('authenticateRequest', () => {
  it('returns the user of a valid request', async () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1'] });
    const user = await authenticateRequest(verifier, {
      headers: { authorization: 'Bearer dev-token-1' },
    });
    expect(user?.authMethod).toBe('static');
  });

  it('lets an optional route through without a token', async () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1'] });
    expect(await authenticateRequest(verifier, {}, { optional: true })).toBeUndefined();
  });

  it('still rejects an invalid token on an optional route', async () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1'] });
    const error = await rejection(() =>
      authenticateRequest(verifier, { authorization: 'Bearer wrong-token' }, { optional: true }),
    );
    expect(error.status).toBe(401);
  });

  it('rejects a missing scope with 403 naming the required scopes', async () => {
    const idp = await localIdp();
    const verifier = new AuthVerifier({ idps: [idp.idpConfig() as never], logger: silentLogger });
    const token = await idp.mintToken({ claims: { scope: 'notes:read' } });
    const request = { authorization: `Bearer ${token}` };
    expect(
      (await authenticateRequest(verifier, request, { scopes: ['notes:read'] }))?.subject,
    ).toBe('user-1');
    const error = await rejection(() =>
      authenticateRequest(verifier, request, { scopes: ['notes:read', 'notes:write'] }),
    );
    expect(error.code).toBe('insufficient_scope');
    expect(error.status).toBe(403);
    expect(error.scope).toEqual(['notes:read', 'notes:write']);
    expect(error.message).toBe('The token lacks the required scope(s): notes:write.');
  });

  it('lets every request through as anonymous when auth is disabled', async () => {
    const verifier = new AuthVerifier({ logger: silentLogger });
    const user = await authenticateRequest(verifier, {}, { scopes: ['admin'] });
    expect(user?.authMethod).toBe('none');
  });
});

describe('authenticateRequestEagerly', () => {
  async function setup() {
    const idp = await localIdp();
    const verifier = new AuthVerifier({ idps: [idp.idpConfig() as never], logger: silentLogger });
    const token = await idp.mintToken({ claims: { scope: 'notes:read' } });
    return { verifier, request: { authorization: `Bearer ${token}` } };
  }

  it('returns a promise, then the cached user', async () => {
    const { verifier, request } = await setup();
    const first = authenticateRequestEagerly(verifier, request);
    expect(first).toBeInstanceOf(Promise);
    const user = await first;
    expect(authenticateRequestEagerly(verifier, request)).toBe(user);
  });

  it('throws a missing scope of a known token without waiting', async () => {
    const { verifier, request } = await setup();
    await authenticateRequestEagerly(verifier, request);
    expect(() => authenticateRequestEagerly(verifier, request, { scopes: ['admin'] })).toThrow(
      expect.objectContaining({ code: 'insufficient_scope', status: 403 }),
    );
  });

  it('rejects a missing scope of a new token through the promise', async () => {
    const { verifier, request } = await setup();
    const error = await rejection(async () =>
      authenticateRequestEagerly(verifier, request, { scopes: ['admin'] }),
    );
    expect(error.code).toBe('insufficient_scope');
  });

  it('returns undefined at once for an optional route without a token', async () => {
    const { verifier } = await setup();
    expect(authenticateRequestEagerly(verifier, {}, { optional: true })).toBeUndefined();
  });

  it('uses verifyToken alone for a verifier without cachedUser', async () => {
    const calls: string[] = [];
    const verifier = {
      authEnabled: true,
      verifyToken: async (token: string | null | undefined) => {
        calls.push(String(token));
        return (await new AuthVerifier({ staticTokens: ['dev-token-1'] }).verifyToken(token))!;
      },
    };
    const request = { authorization: 'Bearer dev-token-1' };
    await authenticateRequestEagerly(verifier, request);
    await authenticateRequestEagerly(verifier, request);
    expect(calls).toHaveLength(2);
  });
});

describe('toVerifier', () => {
  it('keeps a verifier and builds one from a config', () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1'] });
    expect(toVerifier(verifier)).toBe(verifier);
    expect(toVerifier({ staticTokens: ['dev-token-1'] }).authEnabled).toBe(true);
  });
});
