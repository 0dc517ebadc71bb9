import { describe, expect, it } from 'vitest';
import { AuthVerifier, authenticateRequest, silentLogger, toVerifier } from '../src/index.js';
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

describe('toVerifier', () => {
  it('keeps a verifier and builds one from a config', () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1'] });
    expect(toVerifier(verifier)).toBe(verifier);
    expect(toVerifier({ staticTokens: ['dev-token-1'] }).authEnabled).toBe(true);
  });
});
