import { createKey, type SigningAlgorithm, signRaw } from '@remem/auth-testing';
import { describe, expect, it } from 'vitest';
import type { PublicJwk } from '../src/jwks-fetch.js';
import { asciiBytes, decodeBase64url } from '../src/runtime.js';
import { nodeVerifier, webCryptoVerifier } from '../src/signature.js';

const ALGORITHMS: SigningAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
];
const IMPLEMENTATIONS = [
  ['node:crypto', async (jwk: PublicJwk, alg: SigningAlgorithm) => nodeVerifier(jwk, alg)],
  ['WebCrypto', webCryptoVerifier],
] as const;

async function signedParts(alg: SigningAlgorithm) {
  const key = await createKey(alg);
  const token = await signRaw({ alg, kid: key.kid }, { sub: 'x' }, key.privateKey);
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return { key, input: asciiBytes(`${header}.${payload}`), signature: decodeBase64url(signature) };
}

describe.each(IMPLEMENTATIONS)('signature verifier on %s', (_, create) => {
  it.each(ALGORITHMS)('accepts a valid %s signature and rejects tampering', async (alg) => {
    const { key, input, signature } = await signedParts(alg);
    const verifier = await create(key.publicJwk as PublicJwk, alg);
    expect(await verifier.verify(input, signature)).toBe(true);

    const tampered = signature.slice();
    tampered[tampered.length - 1]! ^= 1;
    expect(await verifier.verify(input, tampered)).toBe(false);
    expect(await verifier.verify(input, signature.slice(1))).toBe(false);
    expect(await verifier.verify(asciiBytes('other input'), signature)).toBe(false);
  });
});
