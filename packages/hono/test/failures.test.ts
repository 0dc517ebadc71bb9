import { AuthVerifier, type ErrorFormat, silentLogger } from '@remem/auth-core';
import { createKey, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RememAuthEnv, rememAuth } from '../src/index.js';
import { defaultBody, openAiBody, STATIC_TOKEN, sendUser, verifierFor } from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

interface FailureCase {
  name: string;
  headers: () => Promise<Headers | Record<string, string>>;
  path?: string;
  status: number;
  message: string;
  challenge: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const invalid = (message: string) =>
  `Bearer error="invalid_token", error_description="${message.replaceAll('"', '')}"`;
const now = () => Math.floor(Date.now() / 1000);
const TWICE = 'The Authorization header was sent more than once; send exactly one token.';

const FAILURES: FailureCase[] = [
  {
    name: 'missing_token',
    headers: async () => ({}),
    status: 401,
    message: 'No token provided',
    challenge: 'Bearer',
  },
  {
    name: 'invalid_request: two tokens in one header',
    headers: async () => ({ authorization: `Bearer ${STATIC_TOKEN}, Bearer other` }),
    status: 400,
    message: TWICE,
    challenge: `Bearer error="invalid_request", error_description="${TWICE}"`,
  },
  {
    name: 'invalid_request: Authorization header appended twice',
    // The Fetch API joins repeated headers with ", ", as Hono's runtimes receive them.
    headers: async () =>
      new Headers([
        ['authorization', `Bearer ${STATIC_TOKEN}`],
        ['authorization', 'Bearer other-token'],
      ]),
    status: 400,
    message: TWICE,
    challenge: `Bearer error="invalid_request", error_description="${TWICE}"`,
  },
  {
    name: 'malformed_token',
    headers: async () => bearer('not-a-jwt'),
    status: 401,
    message: 'The token is not a JWT: expected three dot-separated parts, got 1.',
    challenge: invalid('The token is not a JWT: expected three dot-separated parts, got 1.'),
  },
  {
    name: 'untrusted_issuer',
    headers: async () =>
      bearer(await idp.mintToken({ claims: { iss: 'https://issuer.invalid/' } })),
    status: 401,
    message: 'The token issuer is not trusted by this service.',
    challenge: invalid('The token issuer is not trusted by this service.'),
  },
  {
    name: 'unsupported_token',
    headers: async () => bearer(await idp.mintToken({ key: await createKey('RS384') })),
    status: 401,
    message: "The token's algorithm is not accepted for local.",
    challenge: invalid("The token's algorithm is not accepted for local."),
  },
  {
    name: 'unknown_key',
    headers: async () => bearer(await idp.mintToken({ header: { kid: 'retired-key' } })),
    status: 401,
    message: 'No signing key "retired-key" for RS256 is published by local.',
    challenge: invalid('No signing key "retired-key" for RS256 is published by local.'),
  },
  {
    name: 'invalid_signature',
    headers: async () => {
      const outsider = await createKey('RS256');
      return bearer(await idp.mintToken({ key: { ...outsider, kid: idp.keys[0]!.kid } }));
    },
    status: 401,
    message: 'The token signature is invalid.',
    challenge: invalid('The token signature is invalid.'),
  },
  {
    name: 'token_expired',
    headers: async () => bearer(await idp.mintToken({ expiresIn: -3600 })),
    status: 401,
    message: 'The token has expired.',
    challenge: invalid('The token has expired.'),
  },
  {
    name: 'token_not_yet_valid',
    headers: async () => bearer(await idp.mintToken({ claims: { nbf: now() + 3600 } })),
    status: 401,
    message: 'The token is not valid yet.',
    challenge: invalid('The token is not valid yet.'),
  },
  {
    name: 'invalid_audience',
    headers: async () => bearer(await idp.mintToken({ claims: { aud: 'api://another-service' } })),
    status: 401,
    message: 'The token is not meant for this service (audience mismatch).',
    challenge: invalid('The token is not meant for this service (audience mismatch).'),
  },
  {
    name: 'invalid_claims',
    headers: async () => bearer(await idp.mintToken({ claims: { sub: undefined } })),
    status: 401,
    message: 'The token has no "sub" claim.',
    challenge: invalid('The token has no "sub" claim.'),
  },
  {
    name: 'insufficient_scope',
    headers: async () => bearer(await idp.mintToken({ claims: { scope: 'notes:write' } })),
    path: '/notes',
    status: 403,
    message: 'The token lacks the required scope(s): notes:read.',
    challenge:
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
  },
];

/** Builds an app with `GET /me` and `GET /notes` (scope `notes:read`). */
function createApp(verifier: AuthVerifier, format: ErrorFormat): Hono<RememAuthEnv> {
  const app = new Hono<RememAuthEnv>();
  app.get('/me', rememAuth({ verifier, format }), sendUser);
  app.get('/notes', rememAuth({ verifier, format, scopes: ['notes:read'] }), (c) => c.json([]));
  return app;
}

const FORMATS: { format: ErrorFormat; body: (status: number, message: string) => string }[] = [
  { format: 'default', body: defaultBody },
  { format: 'openai', body: openAiBody },
];

describe.each(FORMATS)('$format format', ({ format, body }) => {
  test.each(FAILURES)('$name', async (failure) => {
    const app = createApp(verifierFor(idp), format);
    const headers = await failure.headers();

    const response = await app.request(failure.path ?? '/me', { headers });

    expect(response.status).toBe(failure.status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('www-authenticate')).toBe(failure.challenge);
    expect([...response.headers.keys()].sort()).toEqual(['content-type', 'www-authenticate']);
    expect(await response.text()).toBe(body(failure.status, failure.message));
  });

  test('idp_unavailable: 503 with Retry-After', async () => {
    const down = await startLocalIdp();
    try {
      down.fail({ status: 500 });
      const verifier = new AuthVerifier({
        idps: [down.idpConfig() as never],
        logger: silentLogger,
      });
      const app = createApp(verifier, format);

      const response = await app.request('/me', { headers: bearer(await down.mintToken()) });

      const message =
        'The signing keys of local cannot be fetched, so the token cannot be checked; retry later.';
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await response.text()).toBe(body(503, message));
    } finally {
      await down.close();
    }
  });
});

test('realm and resource metadata in the challenge', async () => {
  const app = new Hono();
  const resourceMetadata = 'http://127.0.0.1:8000/.well-known/oauth-protected-resource';
  app.get('/me', rememAuth({ verifier: verifierFor(idp), realm: 'notes', resourceMetadata }));

  const response = await app.request('/me');

  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe(
    `Bearer realm="notes", resource_metadata="${resourceMetadata}"`,
  );
});
