import { randomBytes } from 'node:crypto';
import type { OidcProviderHandle } from '@remem/auth-testing';
import type { Command } from './command.js';
import { type DemoService, startDemoService } from './demo-service.js';
import { type CliIo, EXIT } from './io.js';

const HELP = `Usage: remem-auth demo

Starts on 127.0.0.1 a real OpenID provider (oidc-provider) with a client-credentials client, a
second one that issues 1-second tokens, and an example service protected by remem-auth and
configured only by REMEM_AUTH_* variables. It then makes real HTTP calls and prints what each
returned: no token, a token from the provider, the static token, a token without the required
scope, a token for another API, an expired token, and the OpenAI-format route.

Exit status: 0 when every call returns the expected result, 1 otherwise. Every server is
stopped before it exits. No token is printed.

Options:
  -h, --help   show this help`;

/** `remem-auth demo`: the library at work against a real OpenID provider. */
export const demoCommand: Command = {
  name: 'demo',
  summary: 'run a protected service against a real OpenID provider and print the calls',
  help: HELP,
  options: {},
  maxPositionals: 0,
  run: (_values, _positionals, io) => runDemo(io),
};

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** More `REMEM_AUTH_*` settings for the example service, over the demo's own. */
  serviceEnv?: Record<string, string>;
}

interface Expectation {
  status: number;
  /** The exact body of an error, or the fields a successful body must have. */
  body: string | Record<string, unknown>;
  challenge?: string;
}

interface Call {
  title: string;
  path: string;
  /** A line printed under the title. */
  note?: string;
  /** Description of the token, printed in its place. */
  credential?: string;
  token?: string;
  expect: Expectation;
}

interface Servers {
  provider?: OidcProviderHandle;
  shortLived?: OidcProviderHandle;
  service?: DemoService;
}

const AUDIENCE = 'api://remem-demo';
const OTHER_AUDIENCE = 'api://billing';

/**
 * Runs the demo and prints its transcript to `io.out`.
 *
 * @returns 0 when every call returned the expected result, 1 otherwise.
 *
 * @example
 * ```ts
 * process.exitCode = await runDemo(processIo());
 * ```
 */
export async function runDemo(io: CliIo, options: DemoOptions = {}): Promise<number> {
  const servers: Servers = {};
  try {
    return await demonstrate(io, servers, options);
  } finally {
    await Promise.all([
      servers.service?.close(),
      servers.provider?.close(),
      servers.shortLived?.close(),
    ]);
  }
}

async function demonstrate(io: CliIo, servers: Servers, options: DemoOptions): Promise<number> {
  // Loaded on use: oidc-provider prints a warning on Node 20 as soon as it is imported.
  const { startOidcProvider } = await import('@remem/auth-testing');
  const provider = await startOidcProvider({ resource: AUDIENCE });
  servers.provider = provider;
  const shortLived = await startOidcProvider({ resource: AUDIENCE, accessTokenTtl: 1 });
  servers.shortLived = shortLived;

  const staticToken = randomBytes(32).toString('base64url');
  const idps = [
    ...JSON.parse(provider.idpsJson({ name: 'demo-idp', typ: 'at+jwt' })),
    ...JSON.parse(shortLived.idpsJson({ name: 'short-lived-idp', typ: 'at+jwt' })),
  ];
  const env: Record<string, string> = {
    REMEM_AUTH_IDPS_JSON: JSON.stringify(idps),
    REMEM_AUTH_STATIC_TOKENS: staticToken,
    REMEM_AUTH_CLOCK_TOLERANCE_SECONDS: '0',
    ...options.serviceEnv,
  };
  const service = await startDemoService(env);
  servers.service = service;

  io.out('remem-auth demo: a protected service and a real OpenID provider, all on 127.0.0.1');
  io.out();
  io.out(
    `OpenID provider     ${provider.issuer} (oidc-provider, client "${provider.clientId}", client-credentials grant)`,
  );
  io.out(`Short-lived issuer  ${shortLived.issuer} (a second oidc-provider whose tokens live 1 s)`);
  io.out(`Protected service   ${service.url}, configured only by:`);
  for (const [name, value] of Object.entries(env)) {
    const shown =
      name === 'REMEM_AUTH_STATIC_TOKENS' ? '<one random 43-character token, not shown>' : value;
    io.out(`  ${name}=${shown}`);
  }
  io.out('Routes: GET /me accepts any valid token, GET /notes needs scope notes:read,');
  io.out('        GET /v1/models answers errors in the OpenAI format.');

  const calls = await prepareCalls(provider, shortLived, staticToken);
  let unexpected = 0;
  for (const [index, call] of calls.entries()) {
    io.out();
    io.out(`[${index + 1}/${calls.length}] ${call.title}`);
    if (call.note !== undefined) io.out(`  ${call.note}`);
    const ok = await makeCall(service.url, call, io);
    if (!ok) unexpected += 1;
  }

  io.out();
  if (unexpected === 0) {
    io.out(`All ${calls.length} calls returned the expected result. Servers stopped.`);
    return EXIT.ok;
  }
  io.out(`${unexpected} of ${calls.length} calls returned an unexpected result. Servers stopped.`);
  return EXIT.failed;
}

async function prepareCalls(
  provider: OidcProviderHandle,
  shortLived: OidcProviderHandle,
  staticToken: string,
): Promise<Call[]> {
  const readToken = await provider.getAccessToken({ scope: 'notes:read' });
  const writeOnlyToken = await provider.getAccessToken({ scope: 'notes:write' });
  const otherAudienceToken = await provider.getAccessToken({
    scope: 'notes:read',
    resource: OTHER_AUDIENCE,
  });
  const expiringToken = await shortLived.getAccessToken({ scope: 'notes:read' });
  const waitedMs = await waitUntilExpired(expiringToken);

  return [
    {
      title: 'No token',
      path: '/notes',
      expect: { status: 401, body: '{"detail":"No token provided"}', challenge: 'Bearer' },
    },
    {
      title: 'Access token from the provider (client credentials, scope notes:read)',
      path: '/notes',
      credential: 'access token from demo-idp',
      token: readToken,
      expect: {
        status: 200,
        body: {
          subject: provider.clientId,
          method: 'jwt',
          idp: 'demo-idp',
          scopes: ['notes:read'],
        },
      },
    },
    {
      title: 'Static token from REMEM_AUTH_STATIC_TOKENS',
      path: '/me',
      credential: 'the static token',
      token: staticToken,
      expect: { status: 200, body: { method: 'static', idp: null } },
    },
    {
      title: 'Access token without the notes:read scope',
      path: '/notes',
      credential: 'access token from demo-idp with scope notes:write',
      token: writeOnlyToken,
      expect: {
        status: 403,
        body: '{"detail":"The token lacks the required scope(s): notes:read."}',
        challenge:
          'Bearer error="insufficient_scope", error_description="The token lacks the required scope(s): notes:read.", scope="notes:read"',
      },
    },
    {
      title: `Access token for another API (audience ${OTHER_AUDIENCE})`,
      path: '/me',
      credential: `access token from demo-idp for ${OTHER_AUDIENCE}`,
      token: otherAudienceToken,
      expect: {
        status: 401,
        body: '{"detail":"The token is not meant for this service (audience mismatch)."}',
        challenge:
          'Bearer error="invalid_token", error_description="The token is not meant for this service (audience mismatch)."',
      },
    },
    {
      title: 'Expired access token (from the short-lived issuer, clock tolerance 0 s)',
      path: '/me',
      note: `The demo waited ${(waitedMs / 1000).toFixed(1)} s for the token's "exp" to pass.`,
      credential: 'expired access token from short-lived-idp',
      token: expiringToken,
      expect: {
        status: 401,
        body: '{"detail":"The token has expired."}',
        challenge: 'Bearer error="invalid_token", error_description="The token has expired."',
      },
    },
    {
      title: 'OpenAI-format route without a token',
      path: '/v1/models',
      expect: {
        status: 401,
        body: '{"error":{"message":"No token provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}',
        challenge: 'Bearer',
      },
    },
  ];
}

// Waits until the token's `exp` has passed on this machine's clock. `exp` is read from the
// unverified payload only to know how long to wait; the service verifies the token itself.
async function waitUntilExpired(token: string): Promise<number> {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
  const waitMs = Math.max(0, Number(payload.exp) * 1000 + 250 - Date.now());
  if (!(waitMs <= 5000))
    throw new Error(`The short-lived token expires in ${waitMs} ms, not within 5 s.`);
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return waitMs;
}

async function makeCall(baseUrl: string, call: Call, io: CliIo): Promise<boolean> {
  const headers: Record<string, string> = {};
  if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
  const response = await fetch(`${baseUrl}${call.path}`, { headers });
  const body = await response.text();
  const challenge = response.headers.get('www-authenticate');

  const sent = call.credential === undefined ? '' : `  Authorization: Bearer <${call.credential}>`;
  io.out(`  GET ${call.path}${sent}`);
  io.out(`  -> ${response.status} ${body}`);
  if (challenge !== null) io.out(`     WWW-Authenticate: ${challenge}`);

  const mismatches = compare(call.expect, response.status, body, challenge);
  if (mismatches.length === 0) {
    io.out('  ok');
    return true;
  }
  for (const mismatch of mismatches) io.out(`  UNEXPECTED: ${mismatch}`);
  return false;
}

function compare(
  expect: Expectation,
  status: number,
  body: string,
  challenge: string | null,
): string[] {
  const mismatches: string[] = [];
  if (status !== expect.status) mismatches.push(`status ${status}, expected ${expect.status}`);
  if (typeof expect.body === 'string') {
    if (body !== expect.body) mismatches.push(`body differs, expected ${expect.body}`);
  } else {
    const parsed = parseJson(body);
    for (const [field, value] of Object.entries(expect.body)) {
      if (JSON.stringify(parsed?.[field]) !== JSON.stringify(value)) {
        mismatches.push(
          `"${field}" is ${JSON.stringify(parsed?.[field])}, expected ${JSON.stringify(value)}`,
        );
      }
    }
  }
  if (expect.challenge !== undefined && challenge !== expect.challenge) {
    mismatches.push(
      `WWW-Authenticate is ${JSON.stringify(challenge)}, expected ${JSON.stringify(expect.challenge)}`,
    );
  }
  return mismatches;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
