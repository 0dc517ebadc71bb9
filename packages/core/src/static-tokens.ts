import type { ResolvedAuthConfig } from './config.js';
import { sha256 } from './runtime.js';

type StaticEntry = ResolvedAuthConfig['staticTokens'][number];

/**
 * The configured static tokens, kept only as SHA-256 digests. A lookup compares the digest of
 * the presented token with every stored digest in constant time, so neither the match position
 * nor a shared prefix shows in the timing.
 */
export class StaticTokenSet {
  readonly size: number;
  readonly #entries: Promise<{ digest: Uint8Array; entry: Omit<StaticEntry, 'token'> }[]>;

  constructor(entries: readonly StaticEntry[]) {
    this.size = entries.length;
    this.#entries = Promise.all(
      entries.map(async ({ token, subject, scopes }) => ({
        digest: await sha256(token),
        entry: { subject, scopes },
      })),
    );
  }

  /** Returns the entry whose token equals `token`, or `undefined`. */
  async find(token: string): Promise<Omit<StaticEntry, 'token'> | undefined> {
    if (this.size === 0) return undefined;
    const digest = await sha256(token);
    let found: Omit<StaticEntry, 'token'> | undefined;
    for (const { digest: stored, entry } of await this.#entries) {
      if (constantTimeEqual(digest, stored) && found === undefined) found = entry;
    }
    return found;
  }
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index += 1) difference |= a[index]! ^ (b[index] ?? 0);
  return difference === 0;
}
