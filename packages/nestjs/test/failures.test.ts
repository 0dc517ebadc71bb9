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
import { createKey, type LocalIdp, startLocalIdp } from '@remem/auth-testing';
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
      const response = await fetch(`${served.origin}${failure.url ?? '/me'}`, {
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

    // Answers every HttpException in its own shape, as many applications do.
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
