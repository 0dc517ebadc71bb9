import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthVerifier, type ErrorFormat, silentLogger } from '@remem/auth-core';
import { createKey, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openAiBody, protectedApp, STATIC_TOKEN, verifierFor } from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

interface FailureCase {
  name: string;
  headers: () => Promise<Record<string, string>>;
  url?: string;
  status: number;
  message: string;
  challenge: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const invalid = (message: string) =>
  `Bearer error="invalid_token", error_description="${message.replaceAll('"', '')}"`;
const now = () => Math.floor(Date.now() / 1000);

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
    message: 'The Authorization header was sent more than once; send exactly one token.',
    challenge:
      'Bearer error="invalid_request", error_description="The Authorization header was sent more than once; send exactly one token."',
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
    url: '/notes',
    status: 403,
    message: 'The token lacks the required scope(s): notes:read.',
    challenge:
      'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
  },
];

const FORMATS: { format: ErrorFormat; body: (status: number, message: string) => string }[] = [
  { format: 'default', body: (_status, message) => JSON.stringify({ detail: message }) },
  { format: 'openai', body: openAiBody },
];

describe.each(FORMATS)('failure in $format format', ({ format, body }) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = await protectedApp({ verifier: verifierFor(idp), global: true, format }, Fastify());
  });

  afterAll(async () => {
    await app.close();
  });

  test.each(FAILURES)('$name through inject', async (failure) => {
    const response = await app.inject({
      method: 'GET',
      url: failure.url ?? '/me',
      headers: await failure.headers(),
    });

    expect(response.statusCode).toBe(failure.status);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['www-authenticate']).toBe(failure.challenge);
    expect(response.body).toBe(body(failure.status, failure.message));
  });
});

describe('failure on a real socket', () => {
  let app: FastifyInstance;
  let origin: string;

  beforeAll(async () => {
    app = await protectedApp({ verifier: verifierFor(idp), global: true }, Fastify());
    origin = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app.close();
  });

  test.each(FAILURES)('$name through fetch', async (failure) => {
    const response = await fetch(`${origin}${failure.url ?? '/me'}`, {
      headers: await failure.headers(),
    });

    expect(response.status).toBe(failure.status);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('www-authenticate')).toBe(failure.challenge);
    expect(await response.text()).toBe(JSON.stringify({ detail: failure.message }));
  });

  test('Authorization header sent twice', async () => {
    const { port } = app.server.address() as AddressInfo;
    const response = await new Promise<{ status: number; challenge: unknown; body: string }>(
      (resolve, reject) => {
        const request = httpRequest({
          host: '127.0.0.1',
          port,
          path: '/me',
          // A flat name-value list makes Node write two Authorization lines. It also drops the
          // automatic Host header, which Node's server requires.
          headers: [
            'host',
            `127.0.0.1:${port}`,
            'authorization',
            `Bearer ${STATIC_TOKEN}`,
            'authorization',
            'Bearer other-token',
          ],
        });
        request.on('error', reject);
        request.on('response', (incoming) => {
          let text = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (chunk: string) => {
            text += chunk;
          });
          incoming.on('end', () =>
            resolve({
              status: incoming.statusCode ?? 0,
              challenge: incoming.headers['www-authenticate'],
              body: text,
            }),
          );
        });
        request.end();
      },
    );

    const message = 'The Authorization header was sent more than once; send exactly one token.';
    expect(response.status).toBe(400);
    expect(response.challenge).toBe(
      `Bearer error="invalid_request", error_description="${message}"`,
    );
    expect(response.body).toBe(JSON.stringify({ detail: message }));
  });
});

describe('IdP unavailable', () => {
  test.each(FORMATS)('503 with Retry-After in $format format', async ({ format, body }) => {
    const down = await startLocalIdp();
    try {
      down.fail({ status: 500 });
      const verifier = new AuthVerifier({
        idps: [down.idpConfig() as never],
        logger: silentLogger,
      });
      const app = await protectedApp({ verifier, global: true, format });
      const token = await down.mintToken();

      const response = await app.inject({ url: '/me', headers: bearer(token) });

      const message =
        'The signing keys of local cannot be fetched, so the token cannot be checked; retry later.';
      expect(response.statusCode).toBe(503);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.headers['retry-after']).toMatch(/^\d+$/);
      expect(response.body).toBe(body(503, message));
    } finally {
      await down.close();
    }
  });
});
