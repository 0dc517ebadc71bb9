import type { RemoteKeySet } from './key-set.js';
import type { AuthenticatedUser } from './user.js';

interface CacheEntry {
  token: string;
  user: AuthenticatedUser;
  /** Time after which the entry is never used, in milliseconds. */
  expiresAt: number;
  keys: RemoteKeySet;
  generation: number;
}

/**
 * Verified JWTs by their exact text, so a repeated token skips decoding and the signature check.
 *
 * A hit is used only while every reason for the first verdict still holds. The entry is not
 * past the token's `exp` nor the maximum age. The IdP's keys are not due for a refresh, and
 * no refresh happened since, so a key that leaves the JWK Set stops validating its tokens.
 * The cache keeps at most `maxEntries` tokens and evicts the oldest first.
 */
export class TokenCache {
  readonly #entries = new Map<string, CacheEntry>();
  readonly #maxEntries: number;
  readonly #maxAgeMs: number;

  constructor(maxEntries: number, maxAgeSeconds: number) {
    this.#maxEntries = maxEntries;
    this.#maxAgeMs = maxAgeSeconds * 1000;
  }

  /** Number of cached tokens. */
  get size(): number {
    return this.#entries.size;
  }

  /** Returns the cached user of `token`, or `undefined` when it must be verified again. */
  get(token: string, now: number): AuthenticatedUser | undefined {
    const entry = this.#entries.get(lookupKey(token));
    if (entry === undefined || entry.token !== token) return undefined;
    const keysChanged = entry.generation !== entry.keys.generation;
    if (now >= entry.expiresAt || keysChanged || !entry.keys.isFresh(now)) {
      this.#entries.delete(lookupKey(token));
      return undefined;
    }
    return entry.user;
  }

  /** Stores a verified token's user until `exp` (seconds) or the maximum age, whichever is first. */
  set(
    token: string,
    user: AuthenticatedUser,
    source: { keys: RemoteKeySet; generation: number; exp: unknown; now: number },
  ): void {
    if (this.#maxEntries === 0 || this.#maxAgeMs === 0) return;
    const exp = typeof source.exp === 'number' ? source.exp * 1000 : Number.POSITIVE_INFINITY;
    const expiresAt = Math.min(exp, source.now + this.#maxAgeMs);
    if (expiresAt <= source.now) return;

    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(lookupKey(token), {
      token,
      user,
      expiresAt,
      keys: source.keys,
      generation: source.generation,
    });
  }
}

// Entries are keyed by the last characters of the signature, which are as unpredictable as the
// whole token and cheaper to hash. A hit still compares the whole token, so a token that only
// ends the same way is verified in full.
const KEY_LENGTH = 24;

function lookupKey(token: string): string {
  return token.length <= KEY_LENGTH ? token : token.slice(-KEY_LENGTH);
}
