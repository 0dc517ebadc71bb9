import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthVerifier, type ErrorFormat, silentLogger } from '@remem/auth-core';
import { failureCases, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
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

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const FAILURES = failureCases(() => idp);

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
      url: failure.path ?? '/me',
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
    const response = await fetch(`${origin}${failure.path ?? '/me'}`, {
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
