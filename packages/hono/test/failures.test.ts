import { AuthVerifier, type ErrorFormat, silentLogger } from '@remem/auth-core';
import { type FailureCase, failureCases, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
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

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const TWICE = 'The Authorization header was sent more than once; send exactly one token.';

// The shared table, and the case the Fetch API adds: it joins repeated headers with ", ", as
// Hono's runtimes receive them.
const FAILURES: (Omit<FailureCase, 'headers'> & {
  headers: () => Promise<Headers | Record<string, string>>;
})[] = [
  ...failureCases(() => idp),
  {
    name: 'invalid_request: Authorization header appended twice',
    headers: async () =>
      new Headers([
        ['authorization', `Bearer ${STATIC_TOKEN}`],
        ['authorization', 'Bearer other-token'],
      ]),
    status: 400,
    message: TWICE,
    challenge: `Bearer error="invalid_request", error_description="${TWICE}"`,
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
