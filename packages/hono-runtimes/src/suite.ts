import { AuthVerifier, loadAuthConfig, silentLogger } from '@remem/auth-core';
import { getUser, type RememAuthEnv, rememAuth } from '@remem/auth-hono';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Fixture, SuiteResult } from './fixture.js';

interface Case {
  name: string;
  path: string;
  init?: RequestInit;
  env?: Record<string, string>;
  status: number;
  body: string;
  challenge?: string | null;
}

const TWICE = 'The Authorization header was sent more than once; send exactly one token.';
const ORIGIN = 'http://127.0.0.1:5173';

/**
 * Builds the app under test. It uses only Web APIs (fetch, WebCrypto), so the same bundle runs
 * on every runtime.
 */
export function createSuiteApp(fixture: Fixture): Hono<RememAuthEnv> {
  const verifier = new AuthVerifier({
    ...loadAuthConfig({ REMEM_AUTH_IDPS_JSON: fixture.idpsJson }),
    staticTokens: [fixture.staticToken],
    logger: silentLogger,
  });
  const app = new Hono<RememAuthEnv>();
  const describe = (user: ReturnType<typeof getUser>) =>
    user === null ? { user: null } : { subject: user.subject, authMethod: user.authMethod };

  app.use('/cors/*', cors({ origin: ORIGIN }));
  app.use('/cors/*', rememAuth({ verifier }));
  app.get('/cors/me', (c) => c.json(describe(getUser(c))));
  app.get('/me', rememAuth({ verifier }), (c) => c.json(describe(c.get('rememAuth'))));
  app.get('/feed', rememAuth({ verifier, optional: true }), (c) => c.json(describe(getUser(c))));
  app.get('/notes', rememAuth({ verifier, scopes: ['notes:read'] }), (c) => c.json([]));
  app.get('/v1/models', rememAuth({ verifier, format: 'openai' }), (c) => c.json({ data: [] }));
  app.get(
    '/env/me',
    rememAuth({
      config: (c) => ({ ...loadAuthConfig(c.env as Record<string, string>), logger: silentLogger }),
    }),
    (c) => c.json(describe(getUser(c))),
  );
  return app;
}

function cases(fixture: Fixture): Case[] {
  const bearer = (token: string): RequestInit => ({
    headers: { authorization: `Bearer ${token}` },
  });
  return [
    {
      name: 'static token',
      path: '/me',
      init: bearer(fixture.staticToken),
      status: 200,
      body: '{"subject":"static-token-1","authMethod":"static"}',
    },
    {
      name: 'JWT verified with keys from the JWK Set',
      path: '/me',
      init: bearer(fixture.tokens.valid),
      status: 200,
      body: '{"subject":"runtime-user","authMethod":"jwt"}',
    },
    {
      name: 'missing token',
      path: '/me',
      status: 401,
      body: '{"detail":"No token provided"}',
      challenge: 'Bearer',
    },
    {
      name: 'Authorization header appended twice',
      path: '/me',
      init: {
        headers: new Headers([
          ['authorization', `Bearer ${fixture.staticToken}`],
          ['authorization', 'Bearer other-token'],
        ]),
      },
      status: 400,
      body: JSON.stringify({ detail: TWICE }),
      challenge: `Bearer error="invalid_request", error_description="${TWICE}"`,
    },
    {
      name: 'expired JWT',
      path: '/me',
      init: bearer(fixture.tokens.expired),
      status: 401,
      body: '{"detail":"The token has expired."}',
      challenge: 'Bearer error="invalid_token", error_description="The token has expired."',
    },
    {
      name: 'missing scope',
      path: '/notes',
      init: bearer(fixture.tokens.writeOnly),
      status: 403,
      body: '{"detail":"The token lacks the required scope(s): notes:read."}',
      challenge:
        'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
    },
    {
      name: 'required scope present',
      path: '/notes',
      init: bearer(fixture.tokens.valid),
      status: 200,
      body: '[]',
    },
    {
      name: 'OpenAI format',
      path: '/v1/models',
      status: 401,
      body: '{"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
      challenge: 'Bearer',
    },
    {
      name: 'optional route without a token',
      path: '/feed',
      status: 200,
      body: '{"user":null}',
    },
    {
      name: 'CORS preflight',
      path: '/cors/me',
      init: {
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
      },
      status: 204,
      body: '',
      challenge: null,
    },
    {
      name: 'configuration from the bindings',
      path: '/env/me',
      init: bearer('binding-token'),
      env: { REMEM_AUTH_STATIC_TOKENS: 'binding-token' },
      status: 200,
      body: '{"subject":"static-token-1","authMethod":"static"}',
    },
    {
      name: 'token outside the bindings',
      path: '/env/me',
      init: bearer(fixture.staticToken),
      env: { REMEM_AUTH_STATIC_TOKENS: 'binding-token' },
      status: 401,
      body: '{"detail":"The token is not a JWT: expected three dot-separated parts, got 1."}',
    },
  ];
}

/**
 * Runs every case with `app.request` and counts the results. A case that throws counts as
 * failed.
 */
export async function runSuite(fixture: Fixture, runtime: string): Promise<SuiteResult> {
  const result: SuiteResult = { runtime, passed: 0, failed: 0, failures: [] };
  let app: Hono<RememAuthEnv>;
  try {
    app = createSuiteApp(fixture);
  } catch (error) {
    result.failed += 1;
    result.failures.push({ name: 'create the app', message: String(error) });
    return result;
  }

  for (const testCase of cases(fixture)) {
    try {
      const response = await app.request(testCase.path, testCase.init, testCase.env);
      const problem = await compare(testCase, response);
      if (problem === undefined) {
        result.passed += 1;
      } else {
        result.failed += 1;
        result.failures.push({ name: testCase.name, message: problem });
      }
    } catch (error) {
      result.failed += 1;
      result.failures.push({ name: testCase.name, message: `threw ${String(error)}` });
    }
  }
  return result;
}

async function compare(testCase: Case, response: Response): Promise<string | undefined> {
  const body = await response.text();
  if (response.status !== testCase.status) {
    return `status ${response.status}, expected ${testCase.status}: ${body}`;
  }
  if (body !== testCase.body) return `body ${body}, expected ${testCase.body}`;
  const challenge = response.headers.get('www-authenticate');
  if (testCase.challenge !== undefined && challenge !== testCase.challenge) {
    return `WWW-Authenticate ${challenge}, expected ${testCase.challenge}`;
  }
  return undefined;
}
