import { describe, expect, it } from 'vitest';
import { AuthVerifier } from '../src/index.js';
import { localIdp, recordingLogger, rejection } from './helpers.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const CLIENT = '11111111-2222-3333-4444-555555555555';
const v2Issuer = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;
const v1Issuer = (tid: string) => `https://sts.windows.net/${tid}/`;

async function entra(tenantId: string, allowedTenants: string[] = []) {
  // Entra publishes keys without `alg`; the local IdP stands in for its JWKS endpoint.
  const idp = await localIdp({ publishAlg: false, issuer: v2Issuer(TENANT), audience: CLIENT });
  const verifier = new AuthVerifier({
    azureTenantId: tenantId,
    azureClientId: CLIENT,
    azureAllowedTenants: allowedTenants,
    azureJwksUri: idp.jwksUri,
    logger: recordingLogger(),
  });
  return { idp, verifier };
}

describe('Entra single tenant', () => {
  it.each([
    ['v2 issuer, client id audience', v2Issuer(TENANT), CLIENT],
    ['v1 issuer, api:// audience', v1Issuer(TENANT), `api://${CLIENT}`],
    ['v2 issuer, api:// audience', v2Issuer(TENANT), `api://${CLIENT}`],
  ])('accepts a %s', async (_, iss, aud) => {
    const { idp, verifier } = await entra(TENANT);
    const token = await idp.mintToken({
      claims: { iss, aud, tid: TENANT, scp: 'Notes.Read', preferred_username: 'a@contoso.test' },
    });
    const user = await verifier.verifyToken(token);
    expect(user.idpName).toBe('azure');
    expect(user.email).toBe('a@contoso.test');
    expect(user.scopes).toEqual(['Notes.Read']);
  });

  it.each([
    ['another tenant', v2Issuer(OTHER_TENANT)],
    ['a trailing slash on v2', `${v2Issuer(TENANT)}/`],
    ['no trailing slash on v1', v1Issuer(TENANT).slice(0, -1)],
    ['upper case', v2Issuer(TENANT).toUpperCase()],
    ['http', v2Issuer(TENANT).replace('https', 'http')],
  ])('rejects %s as issuer', async (_, iss) => {
    const { idp, verifier } = await entra(TENANT);
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { iss } })),
    );
    expect(error.code).toBe('untrusted_issuer');
    expect(idp.requests).toEqual([]);
  });

  it('rejects a Microsoft Graph token with advice', async () => {
    const { idp, verifier } = await entra(TENANT);
    const token = await idp.mintToken({
      header: { nonce: 'abc123' },
      claims: { aud: '00000003-0000-0000-c000-000000000000' },
    });
    const error = await rejection(() => verifier.verifyToken(token));
    expect(error.code).toBe('unsupported_token');
    expect(error.message).toBe(
      "This is a Microsoft Graph token, which only Microsoft Graph can verify; request a token for this API's scope instead.",
    );
    expect(idp.requests).toEqual([]);
  });

  it('rejects an Entra token for another application', async () => {
    const { idp, verifier } = await entra(TENANT);
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { aud: 'api://someone-else' } })),
    );
    expect(error.code).toBe('invalid_audience');
  });
});

describe('Entra multi-tenant', () => {
  it.each(['common', 'organizations'])('accepts any tenant with %s', async (tenantId) => {
    const { idp, verifier } = await entra(tenantId);
    for (const [iss, tid] of [
      [v2Issuer(OTHER_TENANT), OTHER_TENANT],
      [v1Issuer(TENANT), TENANT],
    ]) {
      const user = await verifier.verifyToken(await idp.mintToken({ claims: { iss, tid } }));
      expect(user.claims.tid).toBe(tid);
    }
  });

  it.each([
    ['a tid that differs from the issuer', { iss: v2Issuer(TENANT), tid: OTHER_TENANT }],
    ['no tid', { iss: v2Issuer(TENANT), tid: undefined }],
    [
      'a tid that is not a GUID',
      { iss: 'https://login.microsoftonline.com/common/v2.0', tid: 'common' },
    ],
    [
      'the template itself',
      { iss: 'https://login.microsoftonline.com/{tenantid}/v2.0', tid: TENANT },
    ],
  ])('rejects %s', async (_, claims) => {
    const { idp, verifier } = await entra('common');
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims })),
    );
    expect(error.code).toBe('untrusted_issuer');
    expect(idp.requests).toEqual([]);
  });

  it('restricts tenants to the allow-list', async () => {
    const { idp, verifier } = await entra('organizations', [TENANT]);
    const allowed = await idp.mintToken({ claims: { iss: v2Issuer(TENANT), tid: TENANT } });
    expect((await verifier.verifyToken(allowed)).subject).toBe('user-1');
    const other = await idp.mintToken({
      claims: { iss: v2Issuer(OTHER_TENANT), tid: OTHER_TENANT },
    });
    const error = await rejection(() => verifier.verifyToken(other));
    expect(error.code).toBe('untrusted_issuer');
    expect(error.message).toBe('The token tenant is not allowed by this service.');
  });
});

describe('Google', () => {
  const GOOGLE_CLIENT = '1234-abc.apps.googleusercontent.com';
  async function google() {
    const idp = await localIdp({ issuer: 'https://accounts.google.com', audience: GOOGLE_CLIENT });
    const verifier = new AuthVerifier({
      googleClientId: GOOGLE_CLIENT,
      googleJwksUri: idp.jwksUri,
      logger: recordingLogger(),
    });
    return { idp, verifier };
  }

  it.each(['https://accounts.google.com', 'accounts.google.com'])(
    'accepts the issuer %s',
    async (iss) => {
      const { idp, verifier } = await google();
      const user = await verifier.verifyToken(
        await idp.mintToken({ claims: { iss, email: 'a@gmail.test' } }),
      );
      expect(user.idpName).toBe('google');
      expect(user.email).toBe('a@gmail.test');
    },
  );

  it.each([
    'http://accounts.google.com',
    'https://accounts.google.com/',
    'https://accounts.google.com.evil.test',
  ])('rejects the issuer %s', async (iss) => {
    const { idp, verifier } = await google();
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { iss } })),
    );
    expect(error.code).toBe('untrusted_issuer');
  });

  it('explains that Google access tokens are not JWTs', async () => {
    const { verifier } = await google();
    const error = await rejection(() => verifier.verifyToken('ya29.a0AfB_byC-opaque-access-token'));
    expect(error.code).toBe('malformed_token');
    expect(error.message).toBe(
      'The token is not a JWT: expected three dot-separated parts, got 2. Google access tokens are opaque, not JWTs, and cannot be verified here; send a Google ID token.',
    );
  });
});

describe('IdP rules', () => {
  it('requires the configured typ', async () => {
    const idp = await localIdp();
    const verifier = new AuthVerifier({
      idps: [idp.idpConfig({ typ: 'at+jwt' }) as never],
      logger: recordingLogger(),
    });
    for (const typ of ['at+jwt', 'AT+JWT', 'application/at+jwt']) {
      expect((await verifier.verifyToken(await idp.mintToken({ header: { typ } }))).subject).toBe(
        'user-1',
      );
    }
    for (const typ of ['JWT', undefined, 'at+jwt+x']) {
      const error = await rejection(async () =>
        verifier.verifyToken(await idp.mintToken({ header: { typ } })),
      );
      expect(error.code).toBe('unsupported_token');
    }
  });

  it('requires the configured claims and scopes', async () => {
    const idp = await localIdp();
    const verifier = new AuthVerifier({
      idps: [idp.idpConfig({ requiredClaims: ['tenant'], requiredScopes: ['api'] }) as never],
      logger: recordingLogger(),
    });
    const ok = await idp.mintToken({ claims: { tenant: 't1', scope: 'api other' } });
    expect((await verifier.verifyToken(ok)).subject).toBe('user-1');

    const noClaim = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { scope: 'api' } })),
    );
    expect(noClaim.code).toBe('invalid_claims');
    const noScope = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { tenant: 't1' } })),
    );
    expect(noScope.code).toBe('insufficient_scope');
    expect(noScope.status).toBe(403);
  });

  it('runs a custom claim check only after the standard checks', async () => {
    const idp = await localIdp();
    const seen: string[] = [];
    const verifier = new AuthVerifier({
      idps: [
        idp.idpConfig({
          claimCheck: async (claims: Record<string, unknown>) => {
            seen.push(String(claims.sub));
            return claims.sub !== 'mallory';
          },
        }) as never,
      ],
      logger: recordingLogger(),
    });
    expect(
      (await verifier.verifyToken(await idp.mintToken({ claims: { sub: 'alice' } }))).subject,
    ).toBe('alice');
    const rejected = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { sub: 'mallory' } })),
    );
    expect(rejected.code).toBe('invalid_claims');

    const expired = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { sub: 'expired' }, expiresIn: -3600 })),
    );
    expect(expired.code).toBe('token_expired');
    expect(seen).toEqual(['alice', 'mallory']);
  });

  it('turns a throwing claim check into invalid_claims', async () => {
    const idp = await localIdp();
    const verifier = new AuthVerifier({
      idps: [
        idp.idpConfig({
          claimCheck: () => {
            throw new Error('database down');
          },
        }) as never,
      ],
      logger: recordingLogger(),
    });
    const error = await rejection(async () => verifier.verifyToken(await idp.mintToken()));
    expect(error.code).toBe('invalid_claims');
    expect(error.message).toBe('The token was rejected by a claim check.');
  });

  it('gives a claim check a header it cannot change', async () => {
    const idp = await localIdp();
    const headers: Record<string, unknown>[] = [];
    const verifier = new AuthVerifier({
      idps: [
        idp.idpConfig({
          claimCheck: (_claims: unknown, context: { header: Record<string, unknown> }) => {
            headers.push(context.header);
            context.header.alg = 'none';
            return true;
          },
        }) as never,
      ],
      logger: recordingLogger(),
    });
    // The header is frozen, so the assignment throws and the check rejects the token.
    const error = await rejection(async () => verifier.verifyToken(await idp.mintToken()));
    expect(error.code).toBe('invalid_claims');
    expect(Object.isFrozen(headers[0])).toBe(true);
    expect(headers[0]?.alg).toBe('RS256');
  });
});
