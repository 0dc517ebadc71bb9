import {
  AuthConfigError,
  AuthVerifier,
  ENV_VARIABLES,
  type Logger,
  loadAuthConfig,
} from '@remem/auth-core';
import type { CliIo } from './io.js';

/** A verifier built from the environment, and the warnings its configuration produced. */
export interface EnvironmentVerifier {
  verifier: AuthVerifier;
  warnings: string[];
  /** The `REMEM_AUTH_*` variables that are set, in the order the library documents them. */
  variablesSet: string[];
}

/**
 * Builds a verifier from the `REMEM_AUTH_*` variables of `io.env`, collecting the warnings that
 * loading and construction log (unknown variables, disabled checks, authentication disabled).
 * Warnings logged later, while keys are fetched, are dropped: callers report those themselves.
 *
 * @returns the verifier, or `undefined` after printing the problems of an invalid configuration.
 */
export function verifierFromEnvironment(io: CliIo): EnvironmentVerifier | undefined {
  const warnings: string[] = [];
  let collecting = true;
  const collect = (_fields: Record<string, unknown>, message: string) => {
    if (collecting) warnings.push(message);
  };
  const logger: Logger = { debug: () => {}, info: () => {}, warn: collect, error: collect };

  const variablesSet = Object.keys(io.env).filter(
    (name) => name.startsWith('REMEM_AUTH_') && (io.env[name] ?? '').trim() !== '',
  );
  variablesSet.sort((a, b) => rank(a) - rank(b));

  try {
    const verifier = new AuthVerifier(loadAuthConfig(io.env, { logger }));
    collecting = false;
    return { verifier, warnings, variablesSet };
  } catch (error) {
    if (!(error instanceof AuthConfigError)) throw error;
    io.err('The REMEM_AUTH_* configuration is invalid:');
    for (const problem of error.problems) io.err(`  - ${problem}`);
    io.err('Fix the variables above, then run "remem-auth doctor" again.');
    return undefined;
  }
}

function rank(name: string): number {
  const index = ENV_VARIABLES.indexOf(name);
  return index === -1 ? ENV_VARIABLES.length : index;
}
