import { type OidcProviderHandle, startOidcProvider } from '@remem/auth-testing';
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthVerifier, loadAuthConfig, silentLogger } from '../src/index.js';
import { rejection } from './helpers.js';

describe('AuthVerifier with oidc-provider', () => {
  let provider: OidcProviderHandle;

  beforeAll(async () => {
    provider = await startOidcProvider();
  });
  afterAll(async () => {
    await provider.close();
  });

  it('accepts a client-credentials access token configured through IDPS_JSON', async () => {
    const token = await provider.getAccessToken({ scope: 'notes:read' });
    expect(decodeProtectedHeader(token).typ).toBe('at+jwt');

    const config = loadAuthConfig({ REMEM_AUTH_IDPS_JSON: provider.idpsJson({ typ: 'at+jwt' }) });
    const verifier = new AuthVerifier({ ...config, logger: silentLogger });
    const user = await verifier.verifyToken(token);
    expect(user.authMethod).toBe('jwt');
    expect(user.idpName).toBe('oidc-provider');
    expect(user.subject).toBe(provider.clientId);
    expect(user.scopes).toEqual(['notes:read']);
    expect(user.claims.aud).toBe(provider.resource);
  });

  it('rejects the same token once the audience changes', async () => {
    const token = await provider.getAccessToken();
    const config = loadAuthConfig({
      REMEM_AUTH_IDPS_JSON: provider.idpsJson({ audience: 'api://another-service' }),
    });
    const verifier = new AuthVerifier({ ...config, logger: silentLogger });
    const error = await rejection(() => verifier.verifyToken(token));
    expect(error.code).toBe('invalid_audience');
    expect(error.status).toBe(401);
  });

  it('finds the JWK Set by discovery', async () => {
    const token = await provider.getAccessToken();
    const config = loadAuthConfig({
      REMEM_AUTH_IDPS_JSON: JSON.stringify([
        {
          name: 'discovered',
          issuer: provider.issuer,
          discovery: true,
          audience: provider.resource,
        },
      ]),
    });
    const verifier = new AuthVerifier({ ...config, logger: silentLogger });
    expect((await verifier.verifyToken(token)).idpName).toBe('discovered');
  });
});
