import type { WarmUpResult } from '@remem/auth-core';
import type { Command } from './command.js';
import { formatValue, type IdpSummary, summarizeIdps } from './describe-config.js';
import { verifierFromEnvironment } from './environment.js';
import { type CliIo, EXIT } from './io.js';

const HELP = `Usage: remem-auth doctor

Checks the REMEM_AUTH_* configuration in the environment the way a service would load it:
validates every variable, lists each trusted identity provider (issuer, JWKS URL, audience,
algorithms) and fetches its JWK Set.

Exit status: 0 when everything works, 1 when the configuration is invalid, a JWK Set cannot be
fetched, or the configuration logs a warning (an unknown variable, a disabled check, or no
authentication at all). No token or static token is printed.

Options:
  -h, --help   show this help`;

/** `remem-auth doctor`: validates the environment's configuration and fetches every JWK Set. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the REMEM_AUTH_* configuration and fetch every JWK Set',
  help: HELP,
  options: {},
  maxPositionals: 0,
  run: (_values, _positionals, io) => runDoctor(io),
};

async function runDoctor(io: CliIo): Promise<number> {
  const loaded = verifierFromEnvironment(io);
  if (loaded === undefined) return EXIT.failed;
  const { verifier, warnings, variablesSet } = loaded;
  const problems = [...warnings];

  io.out(`Variables set: ${variablesSet.length > 0 ? variablesSet.join(', ') : 'none'}`);
  io.out('Configuration: valid');
  const { config } = verifier;
  io.out(
    `Checks: exp ${config.verifyExp ? 'on' : 'OFF'}, aud ${config.verifyAud ? 'on' : 'OFF'}, clock tolerance ${config.clockToleranceSeconds} s, JWKS timeout ${config.jwks.timeoutSeconds} s`,
  );
  io.out(`Static tokens: ${config.staticTokens.length}`);

  const idps = summarizeIdps(verifier);
  io.out(`Identity providers: ${idps.length}`);
  const results = await verifier.warmUp();
  for (const idp of idps) {
    const result = results.find((candidate) => candidate.idpName === idp.name);
    const failure = printIdp(io, idp, result);
    if (failure !== undefined) problems.push(failure);
  }

  io.out();
  if (problems.length === 0) {
    io.out('No problems found.');
    return EXIT.ok;
  }
  io.out(`${problems.length} problem(s) found:`);
  for (const problem of problems) io.out(`  - ${problem}`);
  return EXIT.failed;
}

// Prints one IdP and returns the problem with its keys, if any.
function printIdp(io: CliIo, idp: IdpSummary, result: WarmUpResult | undefined) {
  io.out(`  ${idp.name} (${idp.kind})`);
  io.out(`    issuer      ${idp.issuers.join(', ')}`);
  io.out(`    JWKS URL    ${idp.jwksUri}`);
  io.out(
    `    audience    ${idp.audiences === null ? 'any (not checked)' : formatValue(idp.audiences)}`,
  );
  io.out(`    algorithms  ${idp.algorithms.join(', ')}`);
  if (result === undefined) {
    io.out('    keys        not fetched');
    return `${idp.name}: the verifier did not fetch its keys.`;
  }
  if (result.ok) {
    io.out(`    keys        ${result.keys} key(s) fetched`);
    return undefined;
  }
  io.out(`    keys        FAILED: ${result.error}`);
  return `${idp.name}: fetching the JWK Set failed (${result.error}). Check that the JWKS URL is right and reachable from this machine.`;
}
