// Scenario 3: a flood of tokens with random `kid`s mixed with valid tokens. It counts the JWK
// Set fetches the flood causes and compares valid-token throughput with a run without flood.
import { randomUUID } from 'node:crypto';
import { AuthVerifier, silentLogger } from '@remem/auth-core';
import { startLocalIdp } from '@remem/auth-testing';
import { median, tokenFactory } from './measure.mjs';

async function pass(idp, valid, hostile, cooldownSeconds) {
  // The token cache is off so that every valid token pays the full verification.
  const verifier = new AuthVerifier({
    idps: [idp.idpConfig()],
    jwks: { cooldownSeconds },
    tokenCache: { maxEntries: 0 },
    logger: silentLogger,
  });
  await verifier.warmUp();
  const fetchesBefore = idp.jwksRequestCount;
  const order = [...valid.map((token) => [token, true]), ...hostile.map((token) => [token, false])];
  order.sort(() => Math.random() - 0.5);

  let validSeconds = 0;
  let rejected = 0;
  const started = performance.now();
  for (const [token, isValid] of order) {
    const before = performance.now();
    try {
      await verifier.verifyToken(token);
    } catch {
      rejected += 1;
    }
    if (isValid) validSeconds += (performance.now() - before) / 1000;
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  if (rejected !== hostile.length)
    throw new Error(`expected ${hostile.length} rejections, got ${rejected}`);
  return {
    validPerSecond: valid.length / validSeconds,
    fetches: idp.jwksRequestCount - fetchesBefore,
    windows: Math.ceil(elapsedSeconds / cooldownSeconds),
    elapsedSeconds,
  };
}

/** Runs the flood and the baseline; returns the medians. */
export async function runFlood({
  hostile: hostileCount,
  valid: validCount,
  runs,
  cooldownSeconds,
}) {
  const idp = await startLocalIdp({ algorithms: ['RS256'] });
  try {
    const mint = tokenFactory(idp, idp.keys[0]);
    const valid = Array.from({ length: validCount }, () => mint());
    const hostile = Array.from({ length: hostileCount }, () => mint({ kid: randomUUID() }));
    const baseline = [];
    const flooded = [];
    for (let run = 0; run < runs; run += 1) {
      baseline.push(await pass(idp, valid, [], cooldownSeconds));
      flooded.push(await pass(idp, valid, hostile, cooldownSeconds));
    }
    return {
      hostile: hostileCount,
      valid: validCount,
      cooldownSeconds,
      baselineValidPerSecond: median(baseline.map((result) => result.validPerSecond)),
      floodValidPerSecond: median(flooded.map((result) => result.validPerSecond)),
      fetches: Math.max(...flooded.map((result) => result.fetches)),
      windows: Math.max(...flooded.map((result) => result.windows)),
      elapsedSeconds: median(flooded.map((result) => result.elapsedSeconds)),
    };
  } finally {
    await idp.close();
  }
}
