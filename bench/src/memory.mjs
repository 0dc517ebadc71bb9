// Scenario 4: heap growth while the token cache fills with distinct valid tokens.
import { AuthVerifier, silentLogger } from '@remem/auth-core';
import { startLocalIdp } from '@remem/auth-testing';
import { tokenFactory } from './measure.mjs';

function heapAfterCollection() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Verifies `tokens` distinct ES256 tokens into a cache of that size; returns the heap growth. */
export async function runMemory({ tokens: count }) {
  const idp = await startLocalIdp({ algorithms: ['ES256'] });
  try {
    const mint = tokenFactory(idp, idp.keys[0]);
    const verifier = new AuthVerifier({
      idps: [idp.idpConfig({ algorithms: ['ES256'] })],
      tokenCache: { maxEntries: count, maxAgeSeconds: 3600 },
      logger: silentLogger,
    });
    await verifier.warmUp();
    const sample = mint();
    const batch = 5000;
    const before = heapAfterCollection();
    // Tokens are minted in batches and dropped after use, so the growth is the cache's own.
    for (let done = 0; done < count; done += batch) {
      const tokens = Array.from({ length: Math.min(batch, count - done) }, () => mint());
      for (const token of tokens) await verifier.verifyToken(token);
    }
    const after = heapAfterCollection();
    const overflow = Array.from({ length: Math.min(count, 2000) }, () => mint());
    for (const token of overflow) await verifier.verifyToken(token);
    const afterOverflow = heapAfterCollection();
    // Using the verifier after the last measurement keeps it, and its cache, alive through it.
    if (verifier.cachedUser(overflow[overflow.length - 1]) === undefined) {
      throw new Error('the last verified token is missing from the token cache');
    }
    return {
      tokens: count,
      tokenBytes: sample.length,
      heapGrowthBytes: after - before,
      bytesPerToken: (after - before) / count,
      growthPastBoundBytes: afterOverflow - after,
      gcExposed: typeof globalThis.gc === 'function',
    };
  } finally {
    await idp.close();
  }
}
