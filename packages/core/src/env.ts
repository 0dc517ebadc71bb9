import {
  type AuthConfig,
  type IdpConfig,
  type OptionNames,
  type ResolvedAuthConfig,
  resolveAuthConfig,
} from './config.js';
import { AuthConfigError } from './errors.js';
import { defaultLogger, type Logger } from './logger.js';

export const ENV_PREFIX = 'REMEM_AUTH_';

type EnvKind = 'string' | 'list' | 'boolean' | 'number' | 'json';

// Each variable (without the prefix), the AuthConfig option it sets, and how it is parsed.
const VARIABLES = {
  AZURE_TENANT_ID: ['azureTenantId', 'string'],
  AZURE_CLIENT_ID: ['azureClientId', 'string'],
  AZURE_ALLOWED_TENANTS: ['azureAllowedTenants', 'list'],
  AZURE_JWKS_URI: ['azureJwksUri', 'string'],
  GOOGLE_CLIENT_ID: ['googleClientId', 'string'],
  GOOGLE_JWKS_URI: ['googleJwksUri', 'string'],
  STATIC_TOKENS: ['staticTokens', 'list'],
  IDPS_JSON: ['idps', 'json'],
  VERIFY_EXP: ['verifyExp', 'boolean'],
  VERIFY_AUD: ['verifyAud', 'boolean'],
  CLOCK_TOLERANCE_SECONDS: ['clockToleranceSeconds', 'number'],
  REQUIRED: ['required', 'boolean'],
  MAX_TOKEN_BYTES: ['maxTokenBytes', 'number'],
  JWKS_TIMEOUT_SECONDS: ['jwks.timeoutSeconds', 'number'],
  JWKS_COOLDOWN_SECONDS: ['jwks.cooldownSeconds', 'number'],
  JWKS_REFRESH_SECONDS: ['jwks.refreshSeconds', 'number'],
  JWKS_STALE_SECONDS: ['jwks.staleSeconds', 'number'],
  TOKEN_CACHE_SIZE: ['tokenCache.maxEntries', 'number'],
  TOKEN_CACHE_MAX_AGE_SECONDS: ['tokenCache.maxAgeSeconds', 'number'],
} as const satisfies Record<string, readonly [string, EnvKind]>;

type VariableName = keyof typeof VARIABLES;

/** Every variable {@link loadAuthConfig} reads, with its prefix. */
export const ENV_VARIABLES: readonly string[] = Object.keys(VARIABLES).map(
  (name) => ENV_PREFIX + name,
);

// The keys of one IdP in REMEM_AUTH_IDPS_JSON: the Python library's snake_case names.
const IDP_JSON_KEYS: Record<string, keyof IdpConfig> = {
  name: 'name',
  issuer: 'issuer',
  jwks_uri: 'jwksUri',
  audience: 'audience',
  algorithms: 'algorithms',
  discovery: 'discovery',
  typ: 'typ',
  required_claims: 'requiredClaims',
  required_scopes: 'requiredScopes',
};
const IDP_CONFIG_KEYS = Object.fromEntries(
  Object.entries(IDP_JSON_KEYS).map(([jsonKey, configKey]) => [configKey, jsonKey]),
);

// The spellings pydantic accepts for a boolean, so one environment means the same in both
// libraries.
const TRUE_WORDS = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

const ENV_OPTION_NAMES: OptionNames = {
  option(name) {
    const found = Object.entries(VARIABLES).find(([, [option]]) => option === name);
    return found === undefined ? name : ENV_PREFIX + found[0];
  },
  idp: (index, key) => `${ENV_PREFIX}IDPS_JSON[${index}].${IDP_CONFIG_KEYS[key] ?? key}`,
};

/** Options of {@link loadAuthConfig}. */
export interface LoadAuthConfigOptions {
  /** Receives the warning about unknown `REMEM_AUTH_*` variables. Default: stderr. */
  logger?: Logger;
}

/**
 * Reads and validates the `REMEM_AUTH_*` variables. The result is a plain {@link AuthConfig}
 * that can be changed or extended in code before it is passed to `new AuthVerifier(config)`.
 *
 * An empty variable counts as unset. A variable that is set but invalid is an error, never a
 * reason to turn authentication off. An unknown `REMEM_AUTH_*` variable is logged as a likely
 * typo, and is an error when nothing else enables authentication.
 *
 * @throws {AuthConfigError} naming each invalid variable and its fix.
 *
 * @example
 * ```ts
 * const config = loadAuthConfig(); // reads process.env
 * const verifier = new AuthVerifier(config);
 * ```
 */
export function loadAuthConfig(
  env: Record<string, string | undefined> = readProcessEnv(),
  options: LoadAuthConfigOptions = {},
): AuthConfig {
  const problems: string[] = [];
  const config: Record<string, unknown> = {};

  for (const [name, [option, kind]] of Object.entries(VARIABLES) as [
    VariableName,
    (typeof VARIABLES)[VariableName],
  ][]) {
    const raw = env[ENV_PREFIX + name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = parseValue(ENV_PREFIX + name, raw, kind, problems);
    if (value !== undefined) setOption(config, option, value);
  }
  if (problems.length > 0) throw new AuthConfigError(problems);

  const resolved = resolveAuthConfig(config as AuthConfig, ENV_OPTION_NAMES);
  reportUnknownVariables(env, resolved, options.logger ?? defaultLogger);
  if (options.logger !== undefined) config.logger = options.logger;
  return config as AuthConfig;
}

/** The same as {@link loadAuthConfig}, under the Python library's name. */
export const createAuthConfigFromEnv = loadAuthConfig;

function readProcessEnv(): Record<string, string | undefined> {
  // Only this loader reads the environment, and only when called. Workers have no `process`.
  const processLike = (globalThis as { process?: { env?: Record<string, string | undefined> } })
    .process;
  return processLike?.env ?? {};
}

function setOption(config: Record<string, unknown>, option: string, value: unknown): void {
  const [head, tail] = option.split('.') as [string, string | undefined];
  if (tail === undefined) {
    config[head] = value;
    return;
  }
  const group = (config[head] ?? {}) as Record<string, unknown>;
  group[tail] = value;
  config[head] = group;
}

function parseValue(name: string, raw: string, kind: EnvKind, problems: string[]): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'string':
      return text;
    case 'list':
      return text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    case 'boolean': {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      problems.push(`${name} "${text}" is not a boolean; use true/false, 1/0, yes/no or on/off.`);
      return undefined;
    }
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) {
        problems.push(`${name} "${text}" is not a number.`);
        return undefined;
      }
      return value;
    }
    case 'json':
      return parseIdpsJson(name, text, problems);
  }
}

function parseIdpsJson(name: string, text: string, problems: string[]): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    problems.push(
      `${name} is not valid JSON (${(error as Error).message}); it must be a JSON array of IdP objects.`,
    );
    return undefined;
  }
  if (!Array.isArray(value)) {
    problems.push(`${name} must be a JSON array of IdP objects, got ${describeJsonType(value)}.`);
    return undefined;
  }
  return value.map((entry, index) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${name}[${index}] must be an object, got ${describeJsonType(entry)}.`);
      return undefined;
    }
    const idp: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(entry)) {
      const option = IDP_JSON_KEYS[key];
      if (option === undefined) {
        problems.push(
          `${name}[${index}] has unknown key "${key}"; allowed keys are ${Object.keys(IDP_JSON_KEYS).join(', ')}.`,
        );
        continue;
      }
      idp[option] = item;
    }
    return idp;
  });
}

function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function reportUnknownVariables(
  env: Record<string, string | undefined>,
  config: ResolvedAuthConfig,
  logger: Logger,
): void {
  const unknown = Object.keys(env).filter(
    (key) => key.startsWith(ENV_PREFIX) && !(key.slice(ENV_PREFIX.length) in VARIABLES),
  );
  if (unknown.length === 0) return;

  const described = unknown.map((key) => {
    const suggestion = closestVariable(key.slice(ENV_PREFIX.length));
    return suggestion === undefined ? key : `${key} (did you mean ${ENV_PREFIX}${suggestion}?)`;
  });
  const enabled =
    config.azure !== null ||
    config.google !== null ||
    config.idps.length > 0 ||
    config.staticTokens.length > 0;
  if (!enabled) {
    // A misspelt variable must not leave the service open without a word.
    throw new AuthConfigError([
      `Unknown variable(s) ${described.join(', ')} and nothing else enables authentication; fix the name(s). Known variables: ${ENV_VARIABLES.join(', ')}.`,
    ]);
  }
  logger.warn(
    { event: 'unknown_env_variables', variables: unknown },
    `Ignoring unknown variable(s) ${described.join(', ')}.`,
  );
}

function closestVariable(name: string): VariableName | undefined {
  let best: VariableName | undefined;
  let bestDistance = 4;
  for (const candidate of Object.keys(VARIABLES) as VariableName[]) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
