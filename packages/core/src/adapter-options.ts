import type { TokenVerifier } from './authenticate.js';
import { ERROR_FORMATS, type ErrorFormat } from './render.js';

// RFC 6750 section 3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** How {@link checkAdapterOptions} checks the options that differ between adapters. */
export interface AdapterOptionRules {
  /** Accept a function as `config`, as the Hono middleware does for Workers. */
  configMayBeFunction?: boolean;
}

/**
 * Checks the options that every adapter accepts: `config` or `verifier`, `optional`, `scopes`,
 * `format`, `realm` and `resourceMetadata`. It appends one sentence per problem to `problems`,
 * so an adapter reports them together with its own in one `AuthConfigError`.
 */
export function checkAdapterOptions(
  input: Readonly<Record<string, unknown>>,
  problems: string[],
  rules: AdapterOptionRules = {},
): void {
  const { config, verifier } = input;
  if (config !== undefined && verifier !== undefined) {
    problems.push('Options "config" and "verifier" are both set; give only one.');
  }
  const isObject = typeof config === 'object' && config !== null;
  if (config !== undefined && !isObject) {
    if (!rules.configMayBeFunction) {
      problems.push('Option "config" must be an AuthConfig object.');
    } else if (typeof config !== 'function') {
      problems.push('Option "config" must be an AuthConfig object or a function of the context.');
    }
  }
  if (
    verifier !== undefined &&
    typeof (verifier as TokenVerifier | null)?.verifyToken !== 'function'
  ) {
    problems.push('Option "verifier" must have a verifyToken method, like an AuthVerifier.');
  }
  if (input.optional !== undefined && typeof input.optional !== 'boolean') {
    problems.push('Option "optional" must be true or false.');
  }
  checkScopes(input.scopes, 'Option "scopes"', problems);
  checkRenderOptions(input, problems);
}

/**
 * Checks the options that shape a failure response: `format`, `realm` and `resourceMetadata`.
 * It appends one sentence per problem to `problems`.
 */
export function checkRenderOptions(
  input: Readonly<Record<string, unknown>>,
  problems: string[],
): void {
  if (input.format !== undefined && !ERROR_FORMATS.includes(input.format as ErrorFormat)) {
    const formats = ERROR_FORMATS.map((format) => `"${format}"`).join(', ');
    problems.push(`Option "format" must be one of ${formats}.`);
  }
  for (const name of ['realm', 'resourceMetadata']) {
    if (input[name] !== undefined && typeof input[name] !== 'string') {
      problems.push(`Option "${name}" must be a string.`);
    }
  }
}

/**
 * Checks a list of required scopes: an array of RFC 6750 scope tokens. It appends one sentence
 * per problem to `problems`, starting with `label` (such as `Option "scopes"`).
 */
export function checkScopes(value: unknown, label: string, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((scope) => typeof scope === 'string')) {
    problems.push(`${label} must be an array of scope strings, such as ["notes:read"].`);
    return;
  }
  const invalid = value.find((scope) => !SCOPE_TOKEN.test(scope));
  if (invalid !== undefined) {
    problems.push(
      `${label} contains ${JSON.stringify(invalid)}, which is not a scope token; give one scope per entry, without spaces or quotes.`,
    );
  }
}
