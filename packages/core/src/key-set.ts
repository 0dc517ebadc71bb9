import { type JwsAlgorithm, keyRequirement } from './algorithms.js';
import { AuthenticationError } from './errors.js';
import {
  discoverJwksUri,
  type FetchLimits,
  fetchJson,
  type PublicJwk,
  parseJwkSet,
} from './jwks-fetch.js';
import type { Logger } from './logger.js';
import { createSignatureVerifier, type SignatureVerifier } from './signature.js';

/** Timing of a {@link RemoteKeySet}, in milliseconds. */
export interface KeySetTiming {
  cooldownMs: number;
  refreshMs: number;
  staleMs: number;
  /** Maximum wait between retries after failed fetches. */
  maxBackoffMs: number;
}

/** Where a key set comes from: a fixed URL, or discovery from the issuer. */
export type JwksLocation = { jwksUri: string } | { discoveryIssuer: string };

interface StoredKey {
  jwk: PublicJwk;
  imported: Map<string, Promise<SignatureVerifier>>;
  /** Verifiers whose import finished, for the synchronous fast path. */
  ready: Map<string, SignatureVerifier>;
}

const MIN_RSA_MODULUS_BYTES = 256;

/**
 * The cached JWK Set of one IdP.
 *
 * - Keys are fetched on first use and refreshed when older than `refreshMs`; concurrent callers
 *   share one fetch.
 * - An unknown `kid` causes a refetch at most once per `cooldownMs`, so a flood of random
 *   `kid`s costs at most one fetch per cooldown and a genuine new key waits at most that long.
 * - A failed fetch is retried on later requests with exponential backoff, never cached forever.
 *   While the IdP is unreachable, keys already known keep working until `staleMs` after their
 *   refresh time; after that, or for a key never seen, verification fails with
 *   `idp_unavailable` (503).
 */
export class RemoteKeySet {
  readonly #idpName: string;
  readonly #location: JwksLocation;
  readonly #limits: FetchLimits;
  readonly #timing: KeySetTiming;
  readonly #logger: Logger;
  readonly #now: () => number;

  #keys: StoredKey[] = [];
  #jwksUri: string | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #retryAt = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #lastFailure: string | undefined;
  #staleWarnedAt = Number.NEGATIVE_INFINITY;
  #cooldownWarnedAt = Number.NEGATIVE_INFINITY;
  #inflight: Promise<void> | undefined;
  #generation = 0;

  constructor(options: {
    idpName: string;
    location: JwksLocation;
    limits: FetchLimits;
    timing: KeySetTiming;
    logger: Logger;
    now?: () => number;
  }) {
    this.#idpName = options.idpName;
    this.#location = options.location;
    this.#limits = options.limits;
    this.#timing = options.timing;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#jwksUri = 'jwksUri' in options.location ? options.location.jwksUri : undefined;
  }

  /** Counts successful refreshes; a cached verification result is valid only within one. */
  get generation(): number {
    return this.#generation;
  }

  /** Tells whether the keys were fetched less than the refresh interval before `now`. */
  isFresh(now: number): boolean {
    return now < this.#fetchedAt + this.#timing.refreshMs;
  }

  /** Tells whether a key with this `kid` is in the current set. */
  hasKid(kid: string | undefined): boolean {
    return this.#keys.some((key) => key.jwk.kid === kid);
  }

  /**
   * Loads the keys now, for a service that wants to fail or warn at startup.
   *
   * @returns the number of signing keys loaded.
   * @throws {AuthenticationError} `idp_unavailable` when the set cannot be fetched.
   */
  async load(): Promise<number> {
    await this.#refresh();
    if (this.#lastFailure !== undefined && this.#fetchedAt < this.#lastAttemptAt) {
      throw this.#unavailable();
    }
    return this.#keys.length;
  }

  /**
   * Returns the verifier for `kid` and `algorithm` when the keys are fresh and that key is
   * already imported, without waiting; otherwise `undefined`, and {@link getKey} must run.
   */
  readyKey(kid: string | undefined, algorithm: JwsAlgorithm): SignatureVerifier | undefined {
    if (kid === undefined || !this.isFresh(this.#now())) return undefined;
    for (const key of this.#keys) {
      if (key.jwk.kid === kid) return key.ready.get(algorithm);
    }
    return undefined;
  }

  /**
   * Returns the key that verifies a token signed with `algorithm` under `kid`.
   *
   * @throws {AuthenticationError} `unknown_key`, `unsupported_token` or `idp_unavailable`.
   */
  async getKey(kid: string | undefined, algorithm: JwsAlgorithm): Promise<SignatureVerifier> {
    let now = this.#now();
    if (now >= this.#fetchedAt + this.#timing.refreshMs) {
      await this.#refreshIfAllowed(now);
      this.#assertUsable();
    }

    let stored = this.#select(kid, algorithm);
    if (stored === undefined) {
      now = this.#now();
      if (now >= this.#lastAttemptAt + this.#timing.cooldownMs && now >= this.#retryAt) {
        await this.#refresh();
        if (this.#fetchedAt < this.#lastAttemptAt) throw this.#unavailable();
        stored = this.#select(kid, algorithm);
      } else {
        this.#reportCooldown(kid, now);
      }
    }
    if (stored === undefined) {
      throw new AuthenticationError(
        'unknown_key',
        kid === undefined
          ? `The token has no "kid" and ${this.#idpName} publishes no single key for ${algorithm}.`
          : `No signing key "${sanitizeKid(kid)}" for ${algorithm} is published by ${this.#idpName}.`,
        { idpName: this.#idpName },
      );
    }
    return this.#importKey(stored, algorithm);
  }

  async #refreshIfAllowed(now: number): Promise<void> {
    if (now >= this.#retryAt) await this.#refresh();
  }

  // Keys may be served until `staleMs` past their refresh time; without keys, or past that,
  // the IdP counts as unavailable.
  #assertUsable(): void {
    const now = this.#now();
    if (now < this.#fetchedAt + this.#timing.refreshMs) return;
    if (
      this.#keys.length > 0 &&
      now < this.#fetchedAt + this.#timing.refreshMs + this.#timing.staleMs
    ) {
      if (now >= this.#staleWarnedAt + this.#timing.cooldownMs) {
        this.#staleWarnedAt = now;
        this.#logger.warn(
          {
            event: 'jwks_stale',
            idp: this.#idpName,
            ageSeconds: Math.round((now - this.#fetchedAt) / 1000),
            reason: this.#lastFailure,
          },
          `Using cached keys of ${this.#idpName} because its JWK Set cannot be fetched.`,
        );
      }
      return;
    }
    throw this.#unavailable();
  }

  #unavailable(): AuthenticationError {
    const retryAfterSeconds = Math.max(1, Math.ceil((this.#retryAt - this.#now()) / 1000));
    return new AuthenticationError(
      'idp_unavailable',
      `The signing keys of ${this.#idpName} cannot be fetched, so the token cannot be checked; retry later.`,
      { idpName: this.#idpName, retryAfterSeconds, actual: this.#lastFailure },
    );
  }

  #refresh(): Promise<void> {
    this.#inflight ??= this.#fetchKeys().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async #fetchKeys(): Promise<void> {
    const startedAt = this.#now();
    this.#lastAttemptAt = startedAt;
    try {
      this.#jwksUri ??= await discoverJwksUri(
        (this.#location as { discoveryIssuer: string }).discoveryIssuer,
        this.#limits,
      );
      const keys = parseJwkSet(await fetchJson(this.#jwksUri, this.#limits), this.#jwksUri);
      this.#keys = keys.map((jwk) => ({ jwk, imported: new Map(), ready: new Map() }));
      this.#fetchedAt = this.#now();
      this.#failures = 0;
      this.#retryAt = Number.NEGATIVE_INFINITY;
      this.#lastFailure = undefined;
      this.#generation += 1;
      this.#logger.info(
        {
          event: 'jwks_fetched',
          idp: this.#idpName,
          keys: keys.length,
          ms: this.#fetchedAt - startedAt,
        },
        `Fetched ${keys.length} signing key(s) of ${this.#idpName}.`,
      );
    } catch (error) {
      this.#failures += 1;
      const backoff = Math.min(1000 * 2 ** (this.#failures - 1), this.#timing.maxBackoffMs);
      this.#retryAt = this.#now() + backoff;
      this.#lastFailure = error instanceof Error ? error.message : String(error);
      this.#logger.warn(
        {
          event: 'jwks_fetch_failed',
          idp: this.#idpName,
          failures: this.#failures,
          retryInMs: backoff,
          reason: this.#lastFailure,
        },
        `Fetching the JWK Set of ${this.#idpName} failed: ${this.#lastFailure}.`,
      );
    }
  }

  #select(kid: string | undefined, algorithm: JwsAlgorithm): StoredKey | undefined {
    const candidates = this.#keys.filter((key) => kid === undefined || key.jwk.kid === kid);
    if (kid !== undefined && candidates.length > 0) {
      const fitting = candidates.filter((key) => keyFits(key.jwk, algorithm));
      if (fitting.length === 0) {
        const key = candidates[0]!.jwk;
        throw new AuthenticationError(
          'unsupported_token',
          `Key "${sanitizeKid(kid)}" of ${this.#idpName} (${describeKey(key)}) cannot verify ${algorithm}.`,
          { idpName: this.#idpName, expected: describeKey(key), actual: algorithm },
        );
      }
      return fitting[0];
    }
    const fitting = candidates.filter((key) => keyFits(key.jwk, algorithm));
    return fitting.length === 1 ? fitting[0] : undefined;
  }

  #importKey(stored: StoredKey, algorithm: JwsAlgorithm): Promise<SignatureVerifier> {
    let imported = stored.imported.get(algorithm);
    if (imported === undefined) {
      imported = createSignatureVerifier(stored.jwk, algorithm).then(
        (verifier) => {
          stored.ready.set(algorithm, verifier);
          return verifier;
        },
        () => {
          stored.imported.delete(algorithm);
          throw new AuthenticationError(
            'unknown_key',
            `Key "${sanitizeKid(stored.jwk.kid ?? '')}" of ${this.#idpName} could not be imported.`,
            { idpName: this.#idpName },
          );
        },
      );
      stored.imported.set(algorithm, imported);
    }
    return imported;
  }

  #reportCooldown(kid: string | undefined, now: number): void {
    if (now < this.#cooldownWarnedAt + this.#timing.cooldownMs) return;
    this.#cooldownWarnedAt = now;
    this.#logger.info(
      { event: 'jwks_cooldown', idp: this.#idpName, kid: sanitizeKid(kid ?? '') },
      `Unknown key id for ${this.#idpName}; not refetching its JWK Set until the cooldown ends.`,
    );
  }
}

/** Tells whether a JWK may verify `algorithm`: same `alg` when it has one, right type and curve. */
export function keyFits(jwk: PublicJwk, algorithm: JwsAlgorithm): boolean {
  if (jwk.alg !== undefined && jwk.alg !== algorithm) return false;
  const required = keyRequirement(algorithm);
  if (jwk.kty !== required.kty) return false;
  if (required.crv !== undefined && jwk.crv !== required.crv) return false;
  if (required.kty === 'RSA') {
    // RFC 7518 section 3.3: RSA keys of at least 2048 bits.
    const modulusBytes =
      typeof jwk.n === 'string' ? Math.floor((jwk.n.replace(/=+$/, '').length * 3) / 4) : 0;
    return modulusBytes >= MIN_RSA_MODULUS_BYTES;
  }
  return true;
}

function describeKey(jwk: PublicJwk): string {
  const parts = [jwk.kty];
  if (jwk.crv !== undefined) parts.push(jwk.crv);
  if (jwk.alg !== undefined) parts.push(`alg ${jwk.alg}`);
  return parts.join(' ');
}

/** Shortens an untrusted `kid` to safe characters for messages and logs. */
export function sanitizeKid(kid: string): string {
  const safe = kid.replace(/[^A-Za-z0-9._:-]/g, '?');
  return safe.length > 64 ? `${safe.slice(0, 64)}…` : safe;
}
