import { describe, expect, it } from 'vitest';
import { AuthenticatedUser, AuthVerifier, isAuthenticationError } from '../src/index.js';
import { localIdp, recordingLogger, rejection, verifierFor } from './helpers.js';

describe('AuthVerifier order', () => {
  it('returns an anonymous user when auth is disabled, warning once', async () => {
    const logger = recordingLogger();
    const verifier = new AuthVerifier({ logger });
    expect(verifier.authEnabled).toBe(false);
    const user = await verifier.verifyToken(undefined);
    expect(user.authMethod).toBe('none');
    expect(user.subject).toBe('anonymous');
    await verifier.verifyToken('anything');
    const warnings = logger.lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.fields.event)).toEqual(['auth_disabled']);
  });

  it('rejects a missing token with the Python message', async () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1'] });
    for (const token of [undefined, null, '']) {
      const error = await rejection(() => verifier.verifyToken(token));
      expect(isAuthenticationError(error)).toBe(true);
      expect(error.message).toBe('No token provided');
      expect(error.code).toBe('missing_token');
      expect(error.status).toBe(401);
    }
  });

  it('accepts a static token and rejects a near miss', async () => {
    const verifier = new AuthVerifier({ staticTokens: ['dev-token-1', 'dev-token-2'] });
    const user = await verifier.verifyToken('dev-token-2');
    expect(user).toBeInstanceOf(AuthenticatedUser);
    expect(user.authMethod).toBe('static');
    expect(user.subject).toBe('static-token-2');
    expect(user.token).toBe('dev-token-2');

    const error = await rejection(() => verifier.verifyToken('dev-token-3'));
    expect(error.code).toBe('malformed_token');
    expect(error.message).not.toContain('dev-token');
  });

  it('gives a configured static token its subject and scopes', async () => {
    const verifier = new AuthVerifier({
      staticTokens: [{ token: 'svc-key-abc', subject: 'billing-service', scopes: ['notes:read'] }],
    });
    const user = await verifier.verifyToken('svc-key-abc');
    expect(user.subject).toBe('billing-service');
    expect(user.scopes).toEqual(['notes:read']);
  });
});

describe('AuthVerifier JWTs', () => {
  it.each(['RS256', 'ES256', 'EdDSA'] as const)(
    'accepts a %s token from the local IdP',
    async (alg) => {
      const idp = await localIdp({ algorithms: [alg] });
      const { verifier } = verifierFor(idp);
      const token = await idp.mintToken({
        claims: {
          sub: 'alice',
          email: 'alice@example.test',
          name: 'Alice',
          scope: 'notes:read notes:write',
        },
      });
      const user = await verifier.verifyToken(token);
      expect(user.authMethod).toBe('jwt');
      expect(user.subject).toBe('alice');
      expect(user.email).toBe('alice@example.test');
      expect(user.name).toBe('Alice');
      expect(user.idpName).toBe('local');
      expect(user.scopes).toEqual(['notes:read', 'notes:write']);
      expect(user.claims.iss).toBe(idp.issuer);
    },
  );

  it('rejects an expired token', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ expiresIn: -120 })),
    );
    expect(error.code).toBe('token_expired');
    expect(error.status).toBe(401);
  });

  it('accepts an expired token within the clock tolerance', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp, { clockToleranceSeconds: 60 });
    const user = await verifier.verifyToken(await idp.mintToken({ expiresIn: -30 }));
    expect(user.subject).toBe('user-1');
  });

  it('accepts an expired token when expiry checks are off', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp, { verifyExp: false });
    const user = await verifier.verifyToken(await idp.mintToken({ expiresIn: -3600 }));
    expect(user.subject).toBe('user-1');
  });

  it('rejects a token that is not valid yet', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const now = Math.floor(Date.now() / 1000);
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { nbf: now + 600 } })),
    );
    expect(error.code).toBe('token_not_yet_valid');
  });

  it('rejects a wrong audience and accepts one of an array', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const wrong = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { aud: 'api://someone-else' } })),
    );
    expect(wrong.code).toBe('invalid_audience');
    expect(wrong.expected).toEqual([idp.audience]);
    expect(wrong.actual).toEqual(['api://someone-else']);

    const user = await verifier.verifyToken(
      await idp.mintToken({ claims: { aud: ['api://someone-else', idp.audience] } }),
    );
    expect(user.subject).toBe('user-1');
  });

  it('accepts any audience when audience checks are off', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp, { verifyAud: false });
    const user = await verifier.verifyToken(
      await idp.mintToken({ claims: { aud: 'api://other' } }),
    );
    expect(user.subject).toBe('user-1');
  });

  it('rejects a wrong issuer', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { iss: `${idp.issuer}/` } })),
    );
    expect(error.code).toBe('untrusted_issuer');
  });

  it('rejects an unknown issuer without any JWKS request', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const error = await rejection(async () =>
      verifier.verifyToken(await idp.mintToken({ claims: { iss: 'https://evil.example' } })),
    );
    expect(error.code).toBe('untrusted_issuer');
    expect(idp.requests).toEqual([]);
  });

  it('fetches the JWK Set once for many tokens', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const tokens = await Promise.all(
      Array.from({ length: 20 }, (_, index) => idp.mintToken({ claims: { sub: `user-${index}` } })),
    );
    const users = await Promise.all(tokens.map((token) => verifier.verifyToken(token)));
    expect(users.map((user) => user.subject)).toEqual(tokens.map((_, index) => `user-${index}`));
    expect(idp.jwksRequestCount).toBe(1);
  });

  it('rejects a token signed by a key the IdP does not publish', async () => {
    const idp = await localIdp();
    const { verifier } = verifierFor(idp);
    const outsider = await localIdp();
    const forged = await outsider.mintToken({
      claims: { iss: idp.issuer },
      header: { kid: idp.keys[0]!.kid },
    });
    const error = await rejection(() => verifier.verifyToken(forged));
    expect(error.code).toBe('invalid_signature');
  });
});
