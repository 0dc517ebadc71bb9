import {
  type AuthErrorCode,
  type AuthenticatedUser,
  type AuthenticationError,
  assertScopes,
  isAuthenticationError,
} from '@remem/auth-core';
import { type Command, listOption, type OptionValues } from './command.js';
import { formatValue, summarizeIdps } from './describe-config.js';
import { verifierFromEnvironment } from './environment.js';
import { type CliIo, EXIT, UsageError } from './io.js';

const HELP = `Usage: remem-auth verify [TOKEN] [options]
       some-command-printing-a-token | remem-auth verify [options]

Verifies one token with the REMEM_AUTH_* configuration in the environment, exactly as a
service would, and prints the user it stands for, or the check that failed with its code and
the values compared (expected and actual issuer, audience, times). The token itself is never
printed. Reading it from standard input keeps it out of your shell history; a leading
"Bearer " is ignored.

Options:
  --scope SCOPE   also require this scope, as a route would (repeatable, or space-separated)
  --claims        print the verified claims of a JWT (only after its signature holds)
  --json          print one JSON object instead of text
  -h, --help      show this help

Exit status: 0 when the token is accepted, 1 when it is rejected or the configuration is
invalid, 2 for a usage mistake.`;

/** `remem-auth verify`: explains why a service accepts or rejects a token. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'verify a token with the REMEM_AUTH_* configuration and explain the result',
  help: HELP,
  options: {
    scope: { type: 'string', multiple: true },
    claims: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  maxPositionals: 1,
  run: runVerify,
};

// The next step to suggest for each kind of rejection.
const HINTS: Partial<Record<AuthErrorCode, string>> = {
  missing_token: 'Pass the token as an argument or on standard input.',
  invalid_request: 'Send exactly one token.',
  malformed_token:
    'Send the JWT itself (three base64url parts separated by dots), or a configured static token.',
  untrusted_issuer:
    'The "iss" claim must equal a configured issuer exactly (a trailing slash matters). Add the issuer to REMEM_AUTH_IDPS_JSON, or request the token from a trusted IdP.',
  unsupported_token:
    'Check the token header: its "alg" must be in the IdP\'s "algorithms", and its "typ" must match the IdP\'s "typ" when one is set.',
  unknown_key:
    'The IdP publishes no key with the token\'s "kid": the token may come from another environment of the IdP, or the key was rotated out.',
  invalid_signature:
    'The token was altered or signed by another key than the IdP publishes. Request a new token.',
  token_expired: "Request a new token; check this machine's clock if the token is fresh.",
  token_not_yet_valid: 'Check the clocks of this machine and of the IdP.',
  invalid_audience:
    'Request a token for one of the expected audiences (the scope or resource of this API), or add the token\'s audience to the IdP\'s "audience".',
  invalid_claims: 'The IdP must issue the claims listed in the message.',
  insufficient_scope: 'Request a token that includes the missing scope(s).',
  idp_unavailable:
    'The IdP\'s keys could not be fetched, so the token could not be checked. Run "remem-auth doctor".',
};

async function runVerify(values: OptionValues, positionals: string[], io: CliIo) {
  const token = await readToken(positionals[0], io);
  const loaded = verifierFromEnvironment(io);
  if (loaded === undefined) return EXIT.failed;
  const { verifier } = loaded;
  if (!verifier.authEnabled) {
    io.err(
      'Authentication is disabled: no REMEM_AUTH_* variable configures an IdP or a static token, so a service would accept every request as anonymous. Set REMEM_AUTH_IDPS_JSON, REMEM_AUTH_STATIC_TOKENS or another IdP variable, then retry.',
    );
    return EXIT.failed;
  }

  try {
    const user = await verifier.verifyToken(token);
    assertScopes(user, listOption(values, 'scope'));
    printUser(io, user, values);
    return EXIT.ok;
  } catch (error) {
    if (!isAuthenticationError(error)) throw error;
    const expected = error.expected ?? trustedIssuers(error, verifier);
    printRejection(io, error, expected, values.json === true);
    return EXIT.failed;
  }
}

async function readToken(argument: string | undefined, io: CliIo): Promise<string> {
  let raw = argument;
  if (raw === undefined || raw === '-') {
    raw = await io.readStdin();
    if (raw === undefined) {
      throw new UsageError(
        'No token given. Pass it as an argument, or pipe it in: remem-auth verify < token.txt',
      );
    }
  }
  const token = raw.trim().replace(/^bearer\s+/i, '');
  if (token === '') throw new UsageError('The token is empty.');
  return token;
}

function trustedIssuers(
  error: AuthenticationError,
  verifier: Parameters<typeof summarizeIdps>[0],
): unknown {
  if (error.code !== 'untrusted_issuer') return undefined;
  return summarizeIdps(verifier).flatMap((idp) => idp.issuers);
}

function printUser(io: CliIo, user: AuthenticatedUser, values: OptionValues): void {
  const expiry = typeof user.claims.exp === 'number' ? user.claims.exp : undefined;
  if (values.json === true) {
    const { claims, ...rest } = user.toJSON();
    io.out(JSON.stringify({ ok: true, user: values.claims === true ? { ...rest, claims } : rest }));
    return;
  }
  io.out('Token accepted.');
  io.out(`  method   ${user.authMethod}`);
  if (user.idpName !== null) io.out(`  idp      ${user.idpName}`);
  io.out(`  subject  ${user.subject}`);
  if (user.email !== null) io.out(`  email    ${user.email}`);
  if (user.name !== null) io.out(`  name     ${user.name}`);
  io.out(`  scopes   ${user.scopes.length > 0 ? user.scopes.join(' ') : '(none)'}`);
  if (expiry !== undefined) {
    const seconds = Math.round(expiry - Date.now() / 1000);
    io.out(`  expires  ${new Date(expiry * 1000).toISOString()} (in ${seconds} s)`);
  }
  if (values.claims === true) io.out(`  claims   ${JSON.stringify(user.claims, null, 2)}`);
}

function printRejection(
  io: CliIo,
  error: AuthenticationError,
  expected: unknown,
  json: boolean,
): void {
  const hint = HINTS[error.code];
  if (json) {
    const { code, status, message, idpName, actual } = error;
    io.out(
      JSON.stringify({
        ok: false,
        error: { code, status, message, idp: idpName, expected, actual, hint },
      }),
    );
    return;
  }
  io.out(`Token rejected: ${error.message}`);
  io.out(`  code      ${error.code} (HTTP ${error.status})`);
  if (error.idpName !== undefined) io.out(`  idp       ${error.idpName}`);
  if (expected !== undefined) io.out(`  expected  ${formatValue(expected)}`);
  if (error.actual !== undefined) io.out(`  actual    ${formatValue(error.actual)}`);
  if (hint !== undefined) io.out(`  next      ${hint}`);
}
