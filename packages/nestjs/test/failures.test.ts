import { request as httpRequest } from 'node:http';
import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  UseFilters,
} from '@nestjs/common';
import { AuthVerifier, type ErrorFormat, silentLogger } from '@remem/auth-core';
import { failureCases, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RememAuthException, RememAuthModule } from '../src/index.js';
import {
  defaultBody,
  NotesController,
  openAiBody,
  PLATFORMS,
  type Served,
  STATIC_TOKEN,
  serve,
  start,
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
const invalid = (message: string) =>
  `Bearer error="invalid_token", error_description="${message.replaceAll('"', '')}"`;

const FAILURES = failureCases(() => idp);

const FORMATS: { format: ErrorFormat; body: (status: number, message: string) => string }[] = [
  { format: 'default', body: defaultBody },
  { format: 'openai', body: openAiBody },
];

describe.each(PLATFORMS)('$platform', (platform) => {
  describe.each(FORMATS)('$format format', ({ format, body }) => {
    let served: Served;

    beforeAll(async () => {
      served = await start(platform, {
        imports: [
          RememAuthModule.forRoot({ verifier: verifierFor(idp), format, globalGuard: true }),
        ],
        controllers: [NotesController],
      });
    });

    afterAll(async () => {
      await served.app.close();
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

    test('Authorization header sent twice', async () => {
      const { port } = new URL(served.origin);
      const response = await sendTwoAuthorizationHeaders(Number(port));

      const message = 'The Authorization header was sent more than once; send exactly one token.';
      expect(response.status).toBe(400);
      expect(response.challenge).toBe(
        `Bearer error="invalid_request", error_description="${message}"`,
      );
      expect(response.body).toBe(body(400, message));
    });

    test('IdP unavailable: 503', async () => {
      const down = await startLocalIdp();
      try {
        down.fail({ status: 500 });
        const verifier = new AuthVerifier({
          idps: [down.idpConfig() as never],
          logger: silentLogger,
        });
        const { origin } = await serve(platform, {
          imports: [RememAuthModule.forRoot({ verifier, format, globalGuard: true })],
          controllers: [NotesController],
        });

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

  test('realm and resource_metadata in the challenge', async () => {
    const { origin } = await serve(platform, {
      imports: [
        RememAuthModule.forRoot({
          verifier: verifierFor(idp),
          realm: 'notes',
          resourceMetadata: 'https://api.example.test/.well-known/oauth-protected-resource',
          globalGuard: true,
        }),
      ],
      controllers: [NotesController],
    });

    const response = await fetch(`${origin}/me`);

    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="notes", resource_metadata="https://api.example.test/.well-known/oauth-protected-resource"',
    );
  });

  describe("an application's own exception filter", () => {
    const seen: unknown[] = [];

    // Sends every HttpException in its own shape, as many applications do.
    @Catch(HttpException)
    class PlainFilter implements ExceptionFilter<HttpException> {
      catch(exception: HttpException, host: ArgumentsHost) {
        seen.push(exception);
        const response = host.switchToHttp().getResponse();
        const body = { statusCode: exception.getStatus(), error: exception.getResponse() };
        if (platform.platform === 'fastify') {
          response.code(exception.getStatus()).send(body);
        } else {
          response.status(exception.getStatus()).json(body);
        }
      }
    }

    @UseFilters(PlainFilter)
    @Controller('filtered')
    class FilteredController {
      @Get()
      filtered() {
        return { filtered: true };
      }
    }

    test('receives the status, challenge and body', async () => {
      const { origin } = await serve(platform, {
        imports: [RememAuthModule.forRoot({ verifier: verifierFor(idp), globalGuard: true })],
        controllers: [FilteredController],
      });

      const response = await fetch(`${origin}/filtered`, { headers: bearer('not-a-jwt') });

      const message = 'The token is not a JWT: expected three dot-separated parts, got 1.';
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(invalid(message));
      expect(await response.json()).toEqual({ statusCode: 401, error: { detail: message } });
      const exception = seen.at(-1) as RememAuthException;
      expect(exception).toBeInstanceOf(RememAuthException);
      expect(exception.authError.code).toBe('malformed_token');
      expect(exception.message).toBe(message);
    });
  });
});

function sendTwoAuthorizationHeaders(
  port: number,
): Promise<{ status: number; challenge: unknown; body: string }> {
  return new Promise((resolve, reject) => {
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
  });
}
