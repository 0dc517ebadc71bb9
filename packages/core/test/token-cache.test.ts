import { describe, expect, it } from 'vitest';
import { type AuthConfig, AuthenticatedUser, AuthVerifier } from '../src/index.js';
import { TokenCache } from '../src/token-cache.js';
import { localIdp, recordingLogger, rejection } from './helpers.js';

function clock(start = Date.now()) {
  let now = start;
  return { now: () => now, advance: (seconds: number) => (now += seconds * 1000) };
}

async function setup(config: AuthConfig = {}, idpOverrides: Record<string, unknown> = {}) {
  const idp = await localIdp();
  const time = clock();
  const verifier = new AuthVerifier(
    { idps: [idp.idpConfig(idpOverrides) as never], logger: recordingLogger(), ...config },
    { now: time.now },
  );
  return { idp, time, verifier };
}

describe('token cache', () => {
  it('returns the same user for a repeated token', async () => {
    const { idp, verifier } = await setup();
    const token = await idp.mintToken();
    const first = await verifier.verifyToken(token);
    expect(await verifier.verifyToken(token)).toBe(first);
  });

  it('never serves a token past its exp', async () => {
    const { idp, verifier, time } = await setup({
      clockToleranceSeconds: 0,
      tokenCache: { maxAgeSeconds: 300 },
    });
    const token = await idp.mintToken({ expiresIn: 20 });
    await verifier.verifyToken(token);
    time.advance(21);
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('token_expired');
  });

  it('re-verifies after the maximum age', async () => {
    const { idp, verifier, time } = await setup({ tokenCache: { maxAgeSeconds: 10 } });
    const token = await idp.mintToken({ expiresIn: 300 });
    const first = await verifier.verifyToken(token);
    time.advance(9);
    expect(await verifier.verifyToken(token)).toBe(first);
    time.advance(2);
    const second = await verifier.verifyToken(token);
    expect(second).not.toBe(first);
    expect(second.subject).toBe(first.subject);
  });

  it('evicts the oldest token at the bound', async () => {
    const { idp, verifier } = await setup({ tokenCache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all(
      [1, 2, 3].map((n) => idp.mintToken({ claims: { sub: `u${n}` } })),
    );
    const userA = await verifier.verifyToken(a!);
    const userB = await verifier.verifyToken(b!);
    await verifier.verifyToken(c!);
    expect(await verifier.verifyToken(b!)).toBe(userB);
    expect(await verifier.verifyToken(a!)).not.toBe(userA);
  });

  it('stops serving a token whose key left the JWK Set', async () => {
    const { idp, verifier, time } = await setup({
      jwks: { refreshSeconds: 30 },
      tokenCache: { maxAgeSeconds: 60 },
    });
    const token = await idp.mintToken({ expiresIn: 300 });
    await verifier.verifyToken(token);
    await idp.rotateKeys();
    time.advance(31);
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('unknown_key');
  });

  it('does not cache tokens of an IdP with a claim check', async () => {
    let calls = 0;
    const { idp, verifier } = await setup(
      {},
      {
        claimCheck: () => {
          calls += 1;
          return true;
        },
      },
    );
    const token = await idp.mintToken();
    const first = await verifier.verifyToken(token);
    expect(await verifier.verifyToken(token)).not.toBe(first);
    expect(calls).toBe(2);
  });

  it('is off with zero entries', async () => {
    const { idp, verifier } = await setup({ tokenCache: { maxEntries: 0 } });
    const token = await idp.mintToken();
    const first = await verifier.verifyToken(token);
    expect(await verifier.verifyToken(token)).not.toBe(first);
  });

  it('never caches a rejected token', async () => {
    const { idp, verifier } = await setup();
    const token = await idp.mintToken({ claims: { aud: 'api://other' } });
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('invalid_audience');
    expect((await rejection(() => verifier.verifyToken(token))).code).toBe('invalid_audience');
  });

  it('verifies a forged token with a cached ending', async () => {
    const { idp, verifier } = await setup();
    const token = await idp.mintToken({ claims: { sub: 'alice' } });
    const alice = await verifier.verifyToken(token);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(
      JSON.stringify({ ...alice.claims, sub: 'mallory', scope: 'admin' }),
    ).toString('base64url');
    const forged = `${header}.${payload}.${signature}`;
    expect(verifier.cachedUser(forged)).toBeUndefined();
    expect((await rejection(() => verifier.verifyToken(forged))).code).toBe('invalid_signature');
    expect(await verifier.verifyToken(token)).toBe(alice);
  });

  it('returns cachedUser only while valid', async () => {
    const { idp, verifier, time } = await setup({ tokenCache: { maxAgeSeconds: 10 } });
    const token = await idp.mintToken({ expiresIn: 300 });
    expect(verifier.cachedUser(token)).toBeUndefined();
    const user = await verifier.verifyToken(token);
    expect(verifier.cachedUser(token)).toBe(user);
    time.advance(11);
    expect(verifier.cachedUser(token)).toBeUndefined();
  });

  it('never serves an entry stored under an older key generation', () => {
    const cache = new TokenCache(10, 60);
    const keys = { generation: 2, isFresh: () => true } as never;
    const user = new AuthenticatedUser({ subject: 'alice', authMethod: 'jwt' });
    const now = Date.now();
    cache.set('token-checked-before-a-refresh', user, { keys, generation: 1, exp: undefined, now });
    expect(cache.get('token-checked-before-a-refresh', now)).toBeUndefined();
    cache.set('token-checked-after-it', user, { keys, generation: 2, exp: undefined, now });
    expect(cache.get('token-checked-after-it', now)).toBe(user);
  });
});
