import type { webcrypto } from 'node:crypto';
import { importJWK } from 'jose';
import type { JwsAlgorithm } from './algorithms.js';
import type { PublicJwk } from './jwks-fetch.js';
import { nodeCrypto } from './runtime.js';

/** Checks signatures made with one key and one algorithm. */
export interface SignatureVerifier {
  verify(signingInput: Uint8Array, signature: Uint8Array): boolean | Promise<boolean>;
}

const HASH_BITS: Record<string, number> = { '256': 256, '384': 384, '512': 512 };

function hashOf(algorithm: JwsAlgorithm): { node: string; web: string; bytes: number } {
  const bits = HASH_BITS[algorithm.slice(2)] ?? 256;
  return { node: `sha${bits}`, web: `SHA-${bits}`, bytes: bits / 8 };
}

/**
 * Imports a public JWK for one algorithm. On Node it verifies with `node:crypto` KeyObjects,
 * which skips WebCrypto's per-call promise and copies. Elsewhere it uses WebCrypto.
 *
 * @throws when the JWK cannot be imported for `algorithm`.
 */
export async function createSignatureVerifier(
  jwk: PublicJwk,
  algorithm: JwsAlgorithm,
): Promise<SignatureVerifier> {
  return nodeCrypto === undefined
    ? webCryptoVerifier(jwk, algorithm)
    : nodeVerifier(jwk, algorithm);
}

export function nodeVerifier(jwk: PublicJwk, algorithm: JwsAlgorithm): SignatureVerifier {
  const crypto = nodeCrypto!;
  const key = crypto.createPublicKey({ key: jwk as never, format: 'jwk' });
  const hash = hashOf(algorithm);
  const family = algorithm.slice(0, 2);

  let digest: string | null = hash.node;
  let keyInput: Parameters<typeof crypto.verify>[2] = key;
  if (family === 'PS') {
    // RFC 7518 section 3.5: the PSS salt is as long as the hash.
    keyInput = { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: hash.bytes };
  } else if (family === 'ES') {
    // JWS carries ECDSA signatures as raw r||s, not DER.
    keyInput = { key, dsaEncoding: 'ieee-p1363' };
  } else if (algorithm === 'EdDSA' || algorithm === 'Ed25519') {
    digest = null;
  }
  return {
    verify(signingInput, signature) {
      try {
        return crypto.verify(digest, signingInput, keyInput, signature);
      } catch {
        // A signature of the wrong length for the key throws instead of returning false.
        return false;
      }
    },
  };
}

export async function webCryptoVerifier(
  jwk: PublicJwk,
  algorithm: JwsAlgorithm,
): Promise<SignatureVerifier> {
  const key = (await importJWK(
    { ...jwk, alg: algorithm, ext: true },
    algorithm,
  )) as webcrypto.CryptoKey;
  const hash = hashOf(algorithm);
  const family = algorithm.slice(0, 2);
  let params: webcrypto.AlgorithmIdentifier | webcrypto.RsaPssParams | webcrypto.EcdsaParams = {
    name: 'RSASSA-PKCS1-v1_5',
  };
  if (family === 'PS') params = { name: 'RSA-PSS', saltLength: hash.bytes };
  if (family === 'ES') params = { name: 'ECDSA', hash: hash.web };
  if (algorithm === 'EdDSA' || algorithm === 'Ed25519') params = { name: 'Ed25519' };
  return {
    async verify(signingInput, signature) {
      try {
        return await crypto.subtle.verify(params, key, signature, signingInput);
      } catch {
        return false;
      }
    },
  };
}
