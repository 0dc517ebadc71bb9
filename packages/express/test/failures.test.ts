import { request as httpRequest } from 'node:http';
import { AuthVerifier, type ErrorFormat, silentLogger } from '@remem/auth-core';
import { failureCases, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { authErrorHandler, install, rememAuth } from '../src/index.js';
import {
  defaultBody,
  EXPRESS_VERSIONS,
  listen,
  openAiBody,
  type Served,
  STATIC_TOKEN,
  sendUser,
  serve,
  verifierFor,
} from './helpers.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp();
});

afterAll(async () => {
  await idp.close();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const FAILURES = failureCases(() => idp);

/** Adds `GET /me` and `GET /notes` (scope `notes:read`), both authenticated by `verifier`. */
function addRoutes(app: Express, verifier: AuthVerifier): Express {
  app.get('/me', rememAuth({ verifier }), sendUser);
  app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (_request, response) => {
    response.json([]);
  });
  return app;
}

const HANDLERS: {
  handler: string;
  add: (app: Express) => void;
  body: (status: number, message: string) => string;
}[] = [
  { handler: 'authErrorHandler()', add: (app) => app.use(authErrorHandler()), body: defaultBody },
  {
    handler: "install(app, 'openai')",
    add: (app) => install(app, { format: 'openai' }),
    body: openAiBody,
  },
];

describe.each(EXPRESS_VERSIONS)('$name', ({ create }) => {
  describe.each(HANDLERS)('with $handler', ({ add, body }) => {
    let served: Served;

    beforeAll(async () => {
      const app = addRoutes(create(), verifierFor(idp));
      add(app);
      served = await listen(app);
    });

    afterAll(async () => {
      await served.close();
    });

    test.each(FAILURES)('$name', async (failure) => {
      const response = await fetch(`${served.origin}${failure.path ?? '/me'}`, {
        headers: await failure.headers(),
      });

      expect(response.status).toBe(failure.status);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('www-authenticate')).toBe(failure.challenge);
      const expected = body(failure.status, failure.message);
      expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(expected)));
      expect(await response.text()).toBe(expected);
    });
  });

  describe("with Express's final handler", () => {
    let served: Served;

    beforeAll(async () => {
      served = await listen(addRoutes(create(), verifierFor(idp)));
    });

    afterAll(async () => {
      await served.close();
    });

    test.each(FAILURES)('$name', async (failure) => {
      const headers = await failure.headers();
      const response = await fetch(`${served.origin}${failure.path ?? '/me'}`, { headers });

      expect(response.status).toBe(failure.status);
      expect(response.headers.get('www-authenticate')).toBe(failure.challenge);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const text = await response.text();
      expect(text).toContain(`AuthenticationError: ${escapeHtml(failure.message)}`);
      const token = headers.authorization?.split(' ').at(-1);
      if (token !== undefined) expect(text).not.toContain(token);
    });
  });

  test('Authorization header sent twice', async () => {
    const app = addRoutes(create(), verifierFor(idp));
    app.use(authErrorHandler());
    const { server } = await serve(app);
    const response = await sendTwoAuthorizationHeaders(server.address() as { port: number });

    const message = 'The Authorization header was sent more than once; send exactly one token.';
    expect(response.status).toBe(400);
    expect(response.challenge).toBe(
      `Bearer error="invalid_request", error_description="${message}"`,
    );
    expect(response.body).toBe(JSON.stringify({ detail: message }));
  });

  test.each<{ format: ErrorFormat; body: (status: number, message: string) => string }>([
    { format: 'default', body: defaultBody },
    { format: 'openai', body: openAiBody },
  ])('IdP unavailable: 503 in $format format', async ({ format, body }) => {
    const down = await startLocalIdp();
    try {
      down.fail({ status: 500 });
      const verifier = new AuthVerifier({
        idps: [down.idpConfig() as never],
        logger: silentLogger,
      });
      const app = addRoutes(create(), verifier);
      install(app, { format });
      const { origin } = await serve(app);

      const response = await fetch(`${origin}/me`, { headers: bearer(await down.mintToken()) });

      const message =
        'The signing keys of local cannot be fetched, so the token cannot be checked; retry later.';
      expect(response.status).toBe(503);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await response.text()).toBe(body(503, message));
    } finally {
      await down.close();
    }
  });
});

// Express's final handler sends the error's stack as HTML outside production.
function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

function sendTwoAuthorizationHeaders(address: {
  port: number;
}): Promise<{ status: number; challenge: unknown; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({
      host: '127.0.0.1',
      port: address.port,
      path: '/me',
      // A flat name-value list makes Node write two Authorization lines. It also drops the
      // automatic Host header, which Node's server requires.
      headers: [
        'host',
        `127.0.0.1:${address.port}`,
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
  });
}
