import { z } from 'zod';
import { ASYMMETRIC_ALGORITHMS, type JwsAlgorithm } from './algorithms.js';
import { AuthConfigError } from './errors.js';
import type { Logger } from './logger.js';

/** Claims of a token whose signature and standard claims already passed. */
export type JwtClaims = Record<string, unknown>;

/** The context a custom claim check receives besides the claims. */
export interface ClaimCheckContext {
  /** The IdP that issued the token. */
  idpName: string;
  /** The token's protected header. */
  header: Record<string, unknown>;
}

/**
 * A check that runs after every standard check passed. It rejects a token by throwing or by
 * returning `false`; it cannot accept a token the standard checks rejected.
 */
export type ClaimCheck = (
  claims: JwtClaims,
  context: ClaimCheckContext,
) => boolean | undefined | Promise<boolean | undefined>;

/**
 * An identity provider: whose tokens to accept and how to check them. In
 * `REMEM_AUTH_IDPS_JSON` the keys are snake_case (`jwks_uri`, `required_claims`), as in the
 * Python library.
 */
export interface IdpConfig {
  /** Name used in logs and on the user (`idpName`). */
  name: string;
  /** The exact `iss` value of its tokens. It is compared as is: a trailing slash matters. */
  issuer: string;
  /** URL of its JWK Set. Required unless `discovery` is true. */
  jwksUri?: string;
  /**
   * Reads `jwks_uri` from `{issuer}/.well-known/openid-configuration` on first use, and checks
   * that the document's `issuer` equals `issuer`.
   */
  discovery?: boolean;
  /**
   * Accepted `aud` values: one, a list (any may match), or `null` to accept any audience.
   * Omitting it is a configuration error, so the check is never switched off by accident.
   */
  audience?: string | readonly string[] | null;
  /** Allowed signing algorithms, asymmetric only. Default `["RS256"]`. */
  algorithms?: readonly JwsAlgorithm[];
  /** Required `typ` header, compared without case and without an `application/` prefix. */
  typ?: string;
  /** Claims that must be present. */
  requiredClaims?: readonly string[];
  /** Scopes every token of this IdP must carry. */
  requiredScopes?: readonly string[];
  /** A custom check run after the standard ones. Code only; not available from the environment. */
  claimCheck?: ClaimCheck;
}

/** A static token with the identity it stands for. */
export interface StaticTokenConfig {
  token: string;
  /** `subject` of the user; default `static-token-<position from 1>`. */
  subject?: string;
  /** Scopes granted to this token; default none. */
  scopes?: readonly string[];
}

/** Fetch and cache settings of JWK Sets. Times in seconds. */
export interface JwksOptions {
  /** Abort a fetch after this long. Default 5, at most 5. */
  timeoutSeconds?: number;
  /** Minimum time between two fetches caused by an unknown `kid`. Default 30. */
  cooldownSeconds?: number;
  /** Refetch keys that are older than this. Default 600. */
  refreshSeconds?: number;
  /** Keep using known keys this long past their refresh time while the IdP is unreachable. Default 3600. */
  staleSeconds?: number;
  /** Reject a JWK Set response larger than this. Default 524288 (512 KiB). */
  maxResponseBytes?: number;
}

/** The repeated-token cache of verified results. */
export interface TokenCacheOptions {
  /** Number of verified tokens kept; 0 turns the cache off. Default 10000. */
  maxEntries?: number;
  /** Maximum time a result is reused, in seconds, even when `exp` is later. Default 60. */
  maxAgeSeconds?: number;
}

/**
 * Configuration of an {@link AuthVerifier}. Build it in code, or read it from the environment
 * with {@link loadAuthConfig}. Every field is optional; with neither an IdP nor a static token,
 * authentication is disabled (see `required`).
 */
export interface AuthConfig {
  /** Entra tenant: a GUID, or `common` / `organizations` for multi-tenant apps. */
  azureTenantId?: string;
  /** Entra application (client) id; tokens must have it, or `api://<id>`, as audience. */
  azureClientId?: string;
  /** With a multi-tenant `azureTenantId`, accept only these tenant GUIDs. */
  azureAllowedTenants?: readonly string[];
  /** Entra JWK Set URL; default the tenant's `discovery/v2.0/keys` at login.microsoftonline.com. */
  azureJwksUri?: string;
  /** Google OAuth client id; Google ID tokens must have it as audience. */
  googleClientId?: string;
  /** Google JWK Set URL; default `https://www.googleapis.com/oauth2/v3/certs`. */
  googleJwksUri?: string;
  /** Accepted static bearer tokens. */
  staticTokens?: readonly (string | StaticTokenConfig)[];
  /** Further OIDC identity providers. */
  idps?: readonly IdpConfig[];
  /** Check `exp`. Default true; `false` accepts expired tokens. */
  verifyExp?: boolean;
  /** Check `aud`. Default true; `false` accepts tokens for any audience. */
  verifyAud?: boolean;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 60, at most 300. */
  clockToleranceSeconds?: number;
  /** Make a configuration that enables no authentication a startup error. Default false. */
  required?: boolean;
  /** Reject longer tokens before decoding them. Default 8192 bytes. */
  maxTokenBytes?: number;
  jwks?: JwksOptions;
  tokenCache?: TokenCacheOptions;
  /** Receiver of warnings and events. Default: warnings and errors to stderr. */
  logger?: Logger;
  /** The `fetch` used for JWK Sets and discovery. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

/** An {@link IdpConfig} after validation, with every default filled in. */
export interface ResolvedIdpConfig {
  name: string;
  issuer: string;
  jwksUri: string | undefined;
  discovery: boolean;
  audience: readonly string[] | null;
  algorithms: readonly JwsAlgorithm[];
  typ: string | undefined;
  requiredClaims: readonly string[];
  requiredScopes: readonly string[];
  claimCheck: ClaimCheck | undefined;
}

/** An {@link AuthConfig} after validation, with every default filled in. */
export interface ResolvedAuthConfig {
  azure: {
    tenantId: string;
    clientId: string;
    allowedTenants: readonly string[];
    jwksUri: string;
  } | null;
  google: { clientId: string; jwksUri: string } | null;
  staticTokens: readonly { token: string; subject: string; scopes: readonly string[] }[];
  idps: readonly ResolvedIdpConfig[];
  verifyExp: boolean;
  verifyAud: boolean;
  clockToleranceSeconds: number;
  required: boolean;
  maxTokenBytes: number;
  jwks: Required<JwksOptions>;
  tokenCache: Required<TokenCacheOptions>;
}

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MULTI_TENANT_IDS = ['common', 'organizations'] as const;
const DEFAULT_GOOGLE_JWKS_URI = 'https://www.googleapis.com/oauth2/v3/certs';
// RFC 6750 `b64token`: the characters a bearer token can carry in an Authorization header.
export const BEARER_TOKEN_PATTERN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * Names the options in messages, so that a problem found in the environment names the
 * environment variable and a problem found in code names the option.
 */
export interface OptionNames {
  /** Names an option given as a dotted path, such as `jwks.timeoutSeconds`. */
  option(path: string): string;
  idp(index: number, key: keyof IdpConfig): string;
}

export const CODE_OPTION_NAMES: OptionNames = {
  option: (name) => name,
  idp: (index, key) => `idps[${index}].${key}`,
};

const isFunction = z.custom<(...args: never[]) => unknown>(
  (value) => typeof value === 'function',
  'must be a function',
);

const idpSchema = z.strictObject({
  name: z.string().min(1),
  issuer: z.string().min(1),
  jwksUri: z.string().min(1).optional(),
  discovery: z.boolean().optional(),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1), z.null()]).optional(),
  algorithms: z.array(z.string()).optional(),
  typ: z.string().min(1).optional(),
  requiredClaims: z.array(z.string().min(1)).optional(),
  requiredScopes: z.array(z.string().min(1)).optional(),
  claimCheck: isFunction.optional(),
});

const seconds = z.number().finite().nonnegative();

const configSchema = z.strictObject({
  azureTenantId: z.string().optional(),
  azureClientId: z.string().optional(),
  azureAllowedTenants: z.array(z.string()).optional(),
  azureJwksUri: z.string().optional(),
  googleClientId: z.string().optional(),
  googleJwksUri: z.string().optional(),
  staticTokens: z
    .array(
      z.union([
        z.string(),
        z.strictObject({
          token: z.string(),
          subject: z.string().min(1).optional(),
          scopes: z.array(z.string().min(1)).optional(),
        }),
      ]),
    )
    .optional(),
  idps: z.array(z.unknown()).optional(),
  verifyExp: z.boolean().optional(),
  verifyAud: z.boolean().optional(),
  clockToleranceSeconds: seconds.max(300).optional(),
  required: z.boolean().optional(),
  maxTokenBytes: z.number().int().min(512).max(65536).optional(),
  jwks: z
    .strictObject({
      timeoutSeconds: z.number().finite().positive().max(5).optional(),
      cooldownSeconds: seconds.optional(),
      refreshSeconds: z.number().finite().positive().optional(),
      staleSeconds: seconds.optional(),
      maxResponseBytes: z.number().int().positive().optional(),
    })
    .optional(),
  tokenCache: z
    .strictObject({
      maxEntries: z.number().int().nonnegative().optional(),
      maxAgeSeconds: seconds.optional(),
    })
    .optional(),
  logger: z.custom<Logger>(isLogger, 'must have debug, info, warn and error methods').optional(),
  fetch: isFunction.optional(),
});

function isLogger(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every(
    (level) => typeof candidate[level] === 'function',
  );
}

function describeIssue(issue: z.core.$ZodIssue, label: string): string {
  if (issue.code === 'unrecognized_keys') {
    return `${label} has unknown option(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}; remove them or check their spelling.`;
  }
  return `${label}: ${issue.message}.`;
}

function pathLabel(path: readonly PropertyKey[], names: OptionNames): string {
  const [first, second, third] = path;
  if (first === 'idps' && typeof second === 'number' && typeof third === 'string') {
    return names.idp(second, third as keyof IdpConfig);
  }
  const firstIndex = path.findIndex((part) => typeof part !== 'string');
  const head = (firstIndex === -1 ? path : path.slice(0, firstIndex)) as string[];
  const rest = (firstIndex === -1 ? [] : path.slice(firstIndex))
    .map((part) => (typeof part === 'string' ? `.${part}` : `[${String(part)}]`))
    .join('');
  return head.length === 0 ? 'configuration' : `${names.option(head.join('.'))}${rest}`;
}

/**
 * Validates a configuration and fills in every default.
 *
 * @throws {AuthConfigError} listing every problem, each naming the option and the fix.
 */
export function resolveAuthConfig(
  config: AuthConfig,
  names: OptionNames = CODE_OPTION_NAMES,
): ResolvedAuthConfig {
  const problems: string[] = [];
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      problems.push(describeIssue(issue, pathLabel(issue.path, names)));
    throw new AuthConfigError(problems);
  }

  const idps = (config.idps ?? []).flatMap((idp, index) => {
    const resolved = resolveIdp(idp, index, names, problems);
    return resolved === undefined ? [] : [resolved];
  });
  const resolved: ResolvedAuthConfig = {
    azure: resolveAzure(config, names, problems),
    google: resolveGoogle(config, names, problems),
    staticTokens: resolveStaticTokens(config.staticTokens ?? [], names, problems),
    idps,
    verifyExp: config.verifyExp ?? true,
    verifyAud: config.verifyAud ?? true,
    clockToleranceSeconds: config.clockToleranceSeconds ?? 60,
    required: config.required ?? false,
    maxTokenBytes: config.maxTokenBytes ?? 8192,
    jwks: {
      timeoutSeconds: config.jwks?.timeoutSeconds ?? 5,
      cooldownSeconds: config.jwks?.cooldownSeconds ?? 30,
      refreshSeconds: config.jwks?.refreshSeconds ?? 600,
      staleSeconds: config.jwks?.staleSeconds ?? 3600,
      maxResponseBytes: config.jwks?.maxResponseBytes ?? 512 * 1024,
    },
    tokenCache: {
      maxEntries: config.tokenCache?.maxEntries ?? 10_000,
      maxAgeSeconds: config.tokenCache?.maxAgeSeconds ?? 60,
    },
  };

  checkIssuersAreUnique(resolved, names, problems);
  const enabled =
    resolved.azure !== null ||
    resolved.google !== null ||
    resolved.idps.length > 0 ||
    resolved.staticTokens.length > 0;
  if (resolved.required && !enabled) {
    problems.push(
      `${names.option('required')} is set but no identity provider or static token is configured; configure one, or unset ${names.option('required')} to allow anonymous access.`,
    );
  }
  if (problems.length > 0) throw new AuthConfigError(problems);
  return resolved;
}

function resolveAzure(
  config: AuthConfig,
  names: OptionNames,
  problems: string[],
): ResolvedAuthConfig['azure'] {
  const tenantId = config.azureTenantId?.trim() ?? '';
  const clientId = config.azureClientId?.trim() ?? '';
  const allowedTenants = config.azureAllowedTenants ?? [];
  if (tenantId === '' && clientId === '') {
    if (allowedTenants.length > 0) {
      problems.push(
        `${names.option('azureAllowedTenants')} is set but ${names.option('azureTenantId')} is empty; set the tenant to "common" or "organizations".`,
      );
    }
    return null;
  }
  if (tenantId === '') {
    problems.push(
      `${names.option('azureClientId')} is set but ${names.option('azureTenantId')} is empty; set the tenant GUID, or "common" / "organizations" for a multi-tenant app.`,
    );
    return null;
  }
  if (clientId === '') {
    problems.push(
      `${names.option('azureTenantId')} is set but ${names.option('azureClientId')} is empty; set the application (client) id that tokens must have as audience.`,
    );
    return null;
  }
  const multiTenant = (MULTI_TENANT_IDS as readonly string[]).includes(tenantId);
  if (!multiTenant && !GUID_PATTERN.test(tenantId)) {
    problems.push(
      `${names.option('azureTenantId')} "${tenantId}" is not a tenant GUID; use the Directory (tenant) ID GUID, or "common" / "organizations" for a multi-tenant app.`,
    );
  }
  for (const tenant of allowedTenants) {
    if (!GUID_PATTERN.test(tenant)) {
      problems.push(
        `${names.option('azureAllowedTenants')} entry "${tenant}" is not a tenant GUID.`,
      );
    }
  }
  if (!multiTenant && allowedTenants.length > 0) {
    problems.push(
      `${names.option('azureAllowedTenants')} only applies to a multi-tenant ${names.option('azureTenantId')} ("common" or "organizations").`,
    );
  }
  const jwksUri =
    config.azureJwksUri ??
    `https://login.microsoftonline.com/${multiTenant ? 'common' : tenantId.toLowerCase()}/discovery/v2.0/keys`;
  checkFetchUrl(jwksUri, names.option('azureJwksUri'), problems);
  return {
    tenantId: multiTenant ? tenantId : tenantId.toLowerCase(),
    clientId,
    allowedTenants: allowedTenants.map((tenant) => tenant.toLowerCase()),
    jwksUri,
  };
}

function resolveGoogle(
  config: AuthConfig,
  names: OptionNames,
  problems: string[],
): ResolvedAuthConfig['google'] {
  const clientId = config.googleClientId?.trim() ?? '';
  if (clientId === '') return null;
  const jwksUri = config.googleJwksUri ?? DEFAULT_GOOGLE_JWKS_URI;
  checkFetchUrl(jwksUri, names.option('googleJwksUri'), problems);
  return { clientId, jwksUri };
}

function resolveStaticTokens(
  entries: readonly (string | StaticTokenConfig)[],
  names: OptionNames,
  problems: string[],
): ResolvedAuthConfig['staticTokens'] {
  return entries.map((entry, index) => {
    const token = typeof entry === 'string' ? entry : entry.token;
    // The message names the position only: the token itself is a secret.
    if (!BEARER_TOKEN_PATTERN.test(token)) {
      problems.push(
        `${names.option('staticTokens')} entry ${index + 1} is empty or contains characters a bearer token cannot carry (allowed: letters, digits and -._~+/ with trailing =).`,
      );
    }
    return {
      token,
      subject:
        (typeof entry === 'string' ? undefined : entry.subject) ?? `static-token-${index + 1}`,
      scopes: (typeof entry === 'string' ? undefined : entry.scopes) ?? [],
    };
  });
}

function resolveIdp(
  input: unknown,
  index: number,
  names: OptionNames,
  problems: string[],
): ResolvedIdpConfig | undefined {
  const parsed = idpSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      const label =
        typeof key === 'string'
          ? names.idp(index, key as keyof IdpConfig)
          : names.idp(index, 'name').replace(/\.name$/, '');
      problems.push(describeIssue(issue, label));
    }
    return undefined;
  }
  const idp = input as IdpConfig;
  const label = (key: keyof IdpConfig) => names.idp(index, key);

  if (idp.jwksUri === undefined && idp.discovery !== true) {
    problems.push(
      `${label('jwksUri')} is missing; set the IdP's JWK Set URL, or set ${label('discovery')} to true.`,
    );
  }
  if (idp.jwksUri !== undefined) checkFetchUrl(idp.jwksUri, label('jwksUri'), problems);
  if (idp.discovery === true) checkFetchUrl(idp.issuer, label('issuer'), problems);
  if (idp.audience === undefined) {
    problems.push(
      `${label('audience')} is missing; set the audience your tokens carry, or null to accept any audience.`,
    );
  }
  const algorithms = idp.algorithms ?? ['RS256'];
  if (algorithms.length === 0) {
    problems.push(`${label('algorithms')} is empty; list at least one, for example ["RS256"].`);
  }
  for (const algorithm of algorithms) {
    if (!(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(algorithm)) {
      const reason = /^HS/i.test(algorithm)
        ? 'is symmetric and cannot be verified with a JWK Set'
        : 'is not a supported asymmetric algorithm';
      problems.push(
        `${label('algorithms')} "${algorithm}" ${reason}; use one of ${ASYMMETRIC_ALGORITHMS.join(', ')}.`,
      );
    }
  }
  const audience =
    idp.audience === undefined || idp.audience === null ? null : [idp.audience].flat();
  return {
    name: idp.name,
    issuer: idp.issuer,
    jwksUri: idp.jwksUri,
    discovery: idp.discovery ?? false,
    audience,
    algorithms,
    typ: idp.typ,
    requiredClaims: idp.requiredClaims ?? [],
    requiredScopes: idp.requiredScopes ?? [],
    claimCheck: idp.claimCheck,
  };
}

function checkIssuersAreUnique(config: ResolvedAuthConfig, names: OptionNames, problems: string[]) {
  const seenIssuers = new Map<string, string>();
  const seenNames = new Set<string>(['azure', 'google']);
  config.idps.forEach((idp, index) => {
    if (seenNames.has(idp.name)) {
      problems.push(
        `${names.idp(index, 'name')} "${idp.name}" is used twice; give each IdP its own name.`,
      );
    }
    seenNames.add(idp.name);
    const other = seenIssuers.get(idp.issuer);
    if (other !== undefined) {
      problems.push(
        `${names.idp(index, 'issuer')} "${idp.issuer}" is also the issuer of "${other}"; each issuer may be configured once.`,
      );
    }
    seenIssuers.set(idp.issuer, idp.name);
  });
}

/** Tells whether a URL's host is a loopback address, where plain http is allowed. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function checkFetchUrl(value: string, label: string, problems: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${label} "${value}" is not a valid URL.`);
    return;
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackUrl(url)) return;
  problems.push(`${label} "${value}" must use https (plain http is allowed only on loopback).`);
}
