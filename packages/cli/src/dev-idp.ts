import type { LocalIdp, SigningAlgorithm } from '@remem/auth-testing';
import {
  type Command,
  integerOption,
  listOption,
  type OptionValues,
  stringOption,
} from './command.js';
import { type CliIo, EXIT, UsageError } from './io.js';

const DEFAULT_PORT = 9400;
const DEFAULT_AUDIENCE = 'api://remem-dev';
const DEFAULT_SUBJECT = 'dev-user';
const DEFAULT_EXPIRES_IN = 3600;
const ALGORITHMS: readonly SigningAlgorithm[] = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

const HELP = `Usage: remem-auth dev-idp [options]            start a local IdP
       remem-auth dev-idp --token [options]    mint a token from a running one

Starts an OpenID provider for development on 127.0.0.1: it serves a discovery document, a JWK
Set, and POST /token, which mints a signed token for any subject. It prints the
REMEM_AUTH_IDPS_JSON export that makes a service trust it, and a ready token. Keys are created
at start and live only in memory, so tokens stop verifying when it stops. Stop it with Ctrl+C.

With --token, it asks the dev IdP at --url (or on --port) for a token and prints only the
token, so that TOKEN=$(remem-auth dev-idp --token --sub alice) works.

Options:
  --port PORT          port to listen on, or of the running IdP with --token (default ${DEFAULT_PORT}; 0 picks a free port)
  --audience AUD       "aud" of minted tokens, and the audience in the printed export (default ${DEFAULT_AUDIENCE})
  --alg ALG            signing algorithm: ${ALGORITHMS.join(', ')} (default RS256)
  --token              mint a token from the running dev IdP instead of starting one
  --url URL            base URL of the running dev IdP (default http://127.0.0.1:PORT)
  --sub SUBJECT        "sub" of the token (default ${DEFAULT_SUBJECT})
  --scope SCOPE        "scope" of the token (repeatable, or space-separated; default none)
  --email EMAIL        "email" of the token
  --name NAME          "name" of the token
  --expires-in SECONDS token lifetime in seconds (default ${DEFAULT_EXPIRES_IN})
  -h, --help           show this help`;

/** `remem-auth dev-idp`: a local OpenID provider that mints tokens on request. */
export const devIdpCommand: Command = {
  name: 'dev-idp',
  summary: 'start a local IdP that mints tokens, or mint one from a running dev IdP',
  help: HELP,
  options: {
    port: { type: 'string' },
    audience: { type: 'string' },
    alg: { type: 'string' },
    token: { type: 'boolean' },
    url: { type: 'string' },
    sub: { type: 'string' },
    scope: { type: 'string', multiple: true },
    email: { type: 'string' },
    name: { type: 'string' },
    'expires-in': { type: 'string' },
  },
  maxPositionals: 0,
  run: (values, _positionals, io) =>
    values.token === true ? mintFromRunningIdp(values, io) : serveDevIdp(values, io),
};

/** Builds the form fields of POST /token from the options. */
function tokenRequest(values: OptionValues): URLSearchParams {
  const form = new URLSearchParams({
    sub: stringOption(values, 'sub') ?? DEFAULT_SUBJECT,
    expires_in: String(
      integerOption(values, 'expires-in', DEFAULT_EXPIRES_IN, { min: 1, max: 31_536_000 }),
    ),
  });
  const scopes = listOption(values, 'scope');
  if (scopes.length > 0) form.set('scope', scopes.join(' '));
  for (const name of ['audience', 'email', 'name'] as const) {
    const value = stringOption(values, name);
    if (value !== undefined) form.set(name === 'audience' ? 'aud' : name, value);
  }
  return form;
}

async function serveDevIdp(values: OptionValues, io: CliIo): Promise<number> {
  const port = integerOption(values, 'port', DEFAULT_PORT, { min: 0, max: 65_535 });
  const alg = (stringOption(values, 'alg') ?? 'RS256') as SigningAlgorithm;
  if (!ALGORITHMS.includes(alg)) {
    throw new UsageError(`--alg must be one of ${ALGORITHMS.join(', ')}, got "${alg}".`);
  }
  const audience = stringOption(values, 'audience') ?? DEFAULT_AUDIENCE;
  const form = tokenRequest(values);

  // Loaded on use: the testing package imports oidc-provider, which warns on Node 20.
  const { startLocalIdp } = await import('@remem/auth-testing');
  let idp: LocalIdp;
  try {
    idp = await startLocalIdp({ port, algorithms: [alg], audience, mintEndpoint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE') throw error;
    io.err(
      `Port ${port} on 127.0.0.1 is already in use (is a dev IdP running?). Pick another with --port, or --port 0 for a free one.`,
    );
    return EXIT.failed;
  }

  try {
    const token = await mint(idp.url, form);
    const idpsJson = idp.idpsJson({ name: 'dev-idp' });
    io.out(`Dev IdP listening on ${idp.url} (issuer ${idp.issuer}, ${alg}, audience ${audience})`);
    io.out();
    io.out('Trust it from the service under test:');
    io.out(`  export REMEM_AUTH_IDPS_JSON='${idpsJson}'`);
    io.out();
    io.out(`A token for "${form.get('sub')}", valid ${form.get('expires_in')} s:`);
    io.out(`  ${token}`);
    io.out();
    io.out('Mint more with:');
    io.out(`  remem-auth dev-idp --token --url ${idp.url} --sub alice --scope notes:read`);
    io.out(`  curl -s -X POST ${idp.url}/token -d sub=alice -d scope=notes:read`);
    io.out();
    io.out('Stop with Ctrl+C.');
    await io.waitForStop();
  } finally {
    await idp.close();
  }
  io.err('Dev IdP stopped.');
  return EXIT.ok;
}

async function mintFromRunningIdp(values: OptionValues, io: CliIo): Promise<number> {
  const port = integerOption(values, 'port', DEFAULT_PORT, { min: 1, max: 65_535 });
  const url = (stringOption(values, 'url') ?? `http://127.0.0.1:${port}`).replace(/\/$/, '');
  const form = tokenRequest(values);
  try {
    io.out(await mint(url, form));
    return EXIT.ok;
  } catch (error) {
    io.err(`Minting a token at ${url}/token failed: ${(error as Error).message}`);
    io.err('Start a dev IdP in another terminal with "remem-auth dev-idp", or point --url at one.');
    return EXIT.failed;
  }
}

async function mint(url: string, form: URLSearchParams): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${url}/token`, { method: 'POST', body: form, redirect: 'error' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(cause?.code ?? cause?.message ?? (error as Error).message);
  }
  const text = await response.text();
  let body: { access_token?: unknown; error_description?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Reported below as a response without a token.
  }
  if (!response.ok || typeof body.access_token !== 'string') {
    const reason = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
    throw new Error(`HTTP ${response.status}${reason}; is this a remem-auth dev IdP?`);
  }
  return body.access_token;
}
