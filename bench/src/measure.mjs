// Helpers shared by the scenarios: token minting with node:crypto and throughput measurement.
import { createHash, KeyObject, randomUUID, sign } from 'node:crypto';

/** Returns the median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `operation(index)` `count` times with at most `concurrency` calls in flight and returns
 * operations per second.
 */
export async function throughput(operation, count, concurrency) {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await operation(index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return count / ((performance.now() - started) / 1000);
}

const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs tokens for a local IdP key with node:crypto, which is much faster than minting through
 * jose when a run needs thousands of distinct tokens.
 */
export function tokenFactory(idp, key) {
  const privateKey = KeyObject.from(key.privateKey);
  const ec = key.alg.startsWith('ES');
  return function mint({ kid = key.kid, sub, expiresIn = 3600 } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const header = encode({ alg: key.alg, typ: 'JWT', kid });
    const payload = encode({
      iss: idp.issuer,
      aud: idp.audience,
      sub: sub ?? `user-${randomUUID()}`,
      scope: 'notes:read',
      iat: now,
      exp: now + expiresIn,
    });
    const input = `${header}.${payload}`;
    const signature = sign(
      'sha256',
      Buffer.from(input),
      ec ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey,
    );
    return `${input}.${signature.toString('base64url')}`;
  };
}

/** Returns a short fingerprint of the machine for the results page. */
export function fingerprint(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
