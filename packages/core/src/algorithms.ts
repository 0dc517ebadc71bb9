/** JWS algorithms that can verify a token against an IdP's published public keys. */
export type JwsAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/** Every asymmetric algorithm this library verifies. `none` and `HS*` are never among them. */
export const ASYMMETRIC_ALGORITHMS: readonly JwsAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const ASYMMETRIC = new Set<string>(ASYMMETRIC_ALGORITHMS);

/** Tells whether `name` is an algorithm this library can verify with a public key. */
export function isAsymmetricAlgorithm(name: unknown): name is JwsAlgorithm {
  return typeof name === 'string' && ASYMMETRIC.has(name);
}

/** The JWK key type and curve that an algorithm requires. */
export interface KeyRequirement {
  kty: 'RSA' | 'EC' | 'OKP';
  crv?: string;
}

/** Returns the key type (and curve) that must sign with `algorithm`. */
export function keyRequirement(algorithm: JwsAlgorithm): KeyRequirement {
  switch (algorithm) {
    case 'ES256':
      return { kty: 'EC', crv: 'P-256' };
    case 'ES384':
      return { kty: 'EC', crv: 'P-384' };
    case 'ES512':
      return { kty: 'EC', crv: 'P-521' };
    case 'EdDSA':
    case 'Ed25519':
      return { kty: 'OKP', crv: 'Ed25519' };
    default:
      return { kty: 'RSA' };
  }
}
