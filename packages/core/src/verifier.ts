import type { JwsAlgorithm } from './algorithms.js';
import {
  checkAudience,
  checkHeader,
  checkRequiredClaims,
  checkTimes,
  runClaimCheck,
} from './claims.js';
import { type AuthConfig, type ResolvedAuthConfig, resolveAuthConfig } from './config.js';
import { AuthenticationError, isAuthenticationError } from './errors.js';
import { IssuerRouter, type TrustedIdp } from './idps.js';
import { type DecodedJwt, decodeJwt } from './jwt.js';
import { sanitizeKid } from './key-set.js';
import { defaultLogger, type Logger } from './logger.js';
import { asciiBytes, decodeBase64url } from './runtime.js';
import type { SignatureVerifier } from './signature.js';
import { StaticTokenSet } from './static-tokens.js';
import { TokenCache } from './token-cache.js';
import { AuthenticatedUser, emailFromClaims, scopesFromClaims } from './user.js';

/** The result of loading one IdP's keys in {@link AuthVerifier.warmUp}. */
export type WarmUpResult =
  | { idpName: string; ok: true; keys: number }
  | { idpName: string; ok: false; error: string };

/** A configured IdP as {@link AuthVerifier.describeIdps} lists it. */
export interface IdpDescription {
  name: string;
  kind: 'azure' | 'google' | 'oidc';
  audiences: readonly string[] | null;
  algorithms: readonly JwsAlgorithm[];
}

const ANONYMOUS_SUBJECT = 'anonymous';

/**
 * Verifies bearer tokens: static tokens, and JWTs from the configured IdPs. Create one per
 * process and share it: it caches each IdP's keys.
 *
 * The order is fixed. With authentication disabled, every call returns an anonymous user. A
 * missing token fails with `No token provided`, and a static token returns its user. Anything
 * else must be a JWT from a configured issuer, checked against that IdP's keys and rules.
 *
 * @example
 * ```ts
 * const verifier = new AuthVerifier(loadAuthConfig());
 * const user = await verifier.verifyToken(extractToken(request));
 * console.log(user.subject, user.authMethod);
 * ```
 */
export class AuthVerifier {
  /** False when neither an IdP nor a static token is configured: every request is anonymous. */
  readonly authEnabled: boolean;
  /** The validated configuration, with defaults filled in. */
  readonly config: ResolvedAuthConfig;
  readonly #logger: Logger;
  readonly #router: IssuerRouter;
  readonly #staticTokens: StaticTokenSet;
  readonly #cache: TokenCache;
  readonly #now: () => number;

  /**
   * @throws {AuthConfigError} when the configuration is invalid.
   */
  constructor(config: AuthConfig = {}, options: { now?: () => number } = {}) {
    this.config = resolveAuthConfig(config);
    this.#logger = config.logger ?? defaultLogger;
    this.#now = options.now ?? Date.now;
    this.#staticTokens = new StaticTokenSet(this.config.staticTokens);
    this.#cache = new TokenCache(
      this.config.tokenCache.maxEntries,
      this.config.tokenCache.maxAgeSeconds,
    );
    const timeoutMs = this.config.jwks.timeoutSeconds * 1000;
    this.#router = new IssuerRouter(this.config, {
      limits: {
        timeoutMs,
        maxResponseBytes: this.config.jwks.maxResponseBytes,
        fetch: config.fetch ?? ((...args) => globalThis.fetch(...args)),
      },
      timing: {
        cooldownMs: this.config.jwks.cooldownSeconds * 1000,
        refreshMs: this.config.jwks.refreshSeconds * 1000,
        staleMs: this.config.jwks.staleSeconds * 1000,
        maxBackoffMs: Math.max(this.config.jwks.cooldownSeconds * 1000, 1000),
      },
      logger: this.#logger,
      now: this.#now,
    });
    this.authEnabled = this.#router.idps.length > 0 || this.#staticTokens.size > 0;
    this.#warnAboutWeakSettings();
  }

  /**
   * Verifies a token and returns its user.
   *
   * @param token - the raw token, as {@link extractToken} returns it; `undefined` or empty when
   * the request carried none.
   * @throws {AuthenticationError} with a code that names the failed check.
   */
  async verifyToken(token: string | null | undefined): Promise<AuthenticatedUser> {
    if (!this.authEnabled) {
      return new AuthenticatedUser({ subject: ANONYMOUS_SUBJECT, authMethod: 'none' });
    }
    if (token === undefined || token === null || token === '') {
      throw new AuthenticationError('missing_token', 'No token provided');
    }
    if (typeof token !== 'string') {
      throw new AuthenticationError('malformed_token', 'The token is not a string.');
    }
    // Only JWTs are cached, and a static token never verifies as a JWT, so looking here first
    // returns what the full order would.
    const cached = this.#cache.get(token, this.#now());
    if (cached !== undefined) return cached;
    const staticEntry =
      this.#staticTokens.size > 0 ? await this.#staticTokens.find(token) : undefined;
    if (staticEntry !== undefined) {
      return new AuthenticatedUser({
        subject: staticEntry.subject,
        authMethod: 'static',
        scopes: staticEntry.scopes,
        token,
      });
    }
    const seen: { kid?: unknown } = {};
    try {
      const user = this.#verifyJwt(token, seen);
      return user instanceof AuthenticatedUser ? user : await user;
    } catch (error) {
      this.#logFailure(error, seen.kid);
      throw error;
    }
  }

  /**
   * Returns the user of a JWT that this verifier accepted before and would accept now: not
   * expired, within the cache's maximum age, and verified with keys that have not changed since.
   * Returns `undefined` when the token must go through {@link AuthVerifier.verifyToken}. It does
   * no I/O and never throws, so an adapter can use it to continue in the same tick.
   */
  cachedUser(token: string): AuthenticatedUser | undefined {
    if (!this.authEnabled || typeof token !== 'string') return undefined;
    return this.#cache.get(token, this.#now());
  }

  /**
   * Loads every IdP's keys, so a service can report an unreachable IdP at startup instead of on
   * the first request. Failures are returned, not thrown.
   */
  async warmUp(): Promise<WarmUpResult[]> {
    return Promise.all(
      this.#router.idps.map(async (idp): Promise<WarmUpResult> => {
        try {
          return { idpName: idp.name, ok: true, keys: await idp.keys.load() };
        } catch (error) {
          const reason = isAuthenticationError(error)
            ? String(error.actual ?? error.message)
            : String(error);
          return { idpName: idp.name, ok: false, error: reason };
        }
      }),
    );
  }

  /** Lists the configured IdPs, for diagnostics. */
  describeIdps(): IdpDescription[] {
    return this.#router.idps.map((idp) => ({
      name: idp.name,
      kind: idp.kind,
      audiences: idp.audiences,
      algorithms: [...idp.algorithms],
    }));
  }

  // The steps below return a user directly while nothing waits on I/O (known keys, Node's
  // synchronous crypto, no custom claim check), so a fresh token costs no extra promise turns.
  #verifyJwt(
    token: string,
    seen: { kid?: unknown },
  ): AuthenticatedUser | Promise<AuthenticatedUser> {
    const decoded = decodeJwt(token, {
      maxTokenBytes: this.config.maxTokenBytes,
      googleHint: this.config.google !== null,
    });
    const { header, payload } = decoded;
    seen.kid = header.kid;
    const idp = this.#router.route(payload);
    checkHeader(header, idp);

    const algorithm = header.alg as JwsAlgorithm;
    const kid = typeof header.kid === 'string' ? header.kid : undefined;
    if (header.kid !== undefined && kid === undefined) {
      throw new AuthenticationError(
        'malformed_token',
        'The token\'s "kid" header is not a string.',
      );
    }
    const key = idp.keys.readyKey(kid, algorithm);
    if (key === undefined) {
      return idp.keys
        .getKey(kid, algorithm)
        .then((loaded) => this.#checkSignature(token, decoded, loaded, idp));
    }
    return this.#checkSignature(token, decoded, key, idp);
  }

  #checkSignature(
    token: string,
    decoded: DecodedJwt,
    key: SignatureVerifier,
    idp: TrustedIdp,
  ): AuthenticatedUser | Promise<AuthenticatedUser> {
    // The key set's generation when the key was chosen: should a refresh replace the key while
    // an asynchronous check runs, the cache entry is already out of date and never served.
    const generation = idp.keys.generation;
    const valid = key.verify(asciiBytes(decoded.signingInput), decodeBase64url(decoded.signature));
    return typeof valid === 'boolean'
      ? this.#checkClaims(valid, generation, token, decoded, idp)
      : valid.then((settled) => this.#checkClaims(settled, generation, token, decoded, idp));
  }

  #checkClaims(
    signatureValid: boolean,
    generation: number,
    token: string,
    { header, payload }: DecodedJwt,
    idp: TrustedIdp,
  ): AuthenticatedUser | Promise<AuthenticatedUser> {
    if (!signatureValid) {
      throw new AuthenticationError('invalid_signature', 'The token signature is invalid.', {
        idpName: idp.name,
      });
    }
    checkTimes(
      payload,
      {
        verifyExp: this.config.verifyExp,
        clockToleranceSeconds: this.config.clockToleranceSeconds,
        nowSeconds: this.#now() / 1000,
      },
      idp.name,
    );
    if (this.config.verifyAud) checkAudience(payload, idp.audiences, idp.name);
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new AuthenticationError('invalid_claims', 'The token has no "sub" claim.', {
        idpName: idp.name,
      });
    }
    checkRequiredClaims(payload, idp);
    if (idp.claimCheck !== undefined) {
      // A custom claim check may depend on state outside the token, so its verdict is not
      // cached.
      return runClaimCheck(payload, header, idp).then(() => this.#userOf(token, payload, idp));
    }
    const user = this.#userOf(token, payload, idp);
    this.#cache.set(token, user, {
      keys: idp.keys,
      generation,
      exp: payload.exp,
      now: this.#now(),
    });
    return user;
  }

  #userOf(token: string, claims: Record<string, unknown>, idp: TrustedIdp): AuthenticatedUser {
    const scopes = scopesFromClaims(claims);
    const missing = idp.requiredScopes.filter((scope) => !scopes.includes(scope));
    if (missing.length > 0) {
      throw new AuthenticationError(
        'insufficient_scope',
        `The token lacks the required scope(s): ${missing.join(' ')}.`,
        {
          idpName: idp.name,
          scope: idp.requiredScopes,
          expected: idp.requiredScopes,
          actual: scopes,
        },
      );
    }
    return new AuthenticatedUser({
      subject: claims.sub as string,
      email: emailFromClaims(claims),
      name: typeof claims.name === 'string' ? claims.name : null,
      authMethod: 'jwt',
      idpName: idp.name,
      claims,
      scopes,
      token,
    });
  }

  #logFailure(error: unknown, kid: unknown): void {
    if (!isAuthenticationError(error)) return;
    this.#logger.info(
      {
        event: 'verification_failed',
        code: error.code,
        idp: error.idpName,
        kid: typeof kid === 'string' ? sanitizeKid(kid) : undefined,
      },
      `Token rejected: ${error.message}`,
    );
  }

  #warnAboutWeakSettings(): void {
    if (!this.authEnabled) {
      this.#logger.warn(
        { event: 'auth_disabled' },
        'Authentication is disabled: no identity provider or static token is configured, so every request is anonymous.',
      );
    }
    if (this.authEnabled && !this.config.verifyExp) {
      this.#logger.warn(
        { event: 'exp_check_disabled' },
        'Token expiry is not checked (verifyExp is false).',
      );
    }
    if (this.authEnabled && !this.config.verifyAud) {
      this.#logger.warn(
        { event: 'aud_check_disabled' },
        'Token audience is not checked (verifyAud is false).',
      );
    }
  }
}

/**
 * Checks that a user has every scope in `required`.
 *
 * @throws {AuthenticationError} `insufficient_scope` (403), whose challenge names the scopes.
 */
export function assertScopes(user: AuthenticatedUser, required: readonly string[]): void {
  if (required.length === 0 || user.authMethod === 'none') return;
  const missing = user.missingScopes(required);
  if (missing.length > 0) {
    throw new AuthenticationError(
      'insufficient_scope',
      `The token lacks the required scope(s): ${missing.join(' ')}.`,
      { scope: required, expected: required, actual: user.scopes },
    );
  }
}
