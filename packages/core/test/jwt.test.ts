import { describe, expect, it } from 'vitest';
import { decodeJwt } from '../src/jwt.js';

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const options = { maxTokenBytes: 16_384, googleHint: false };

describe('decodeJwt headers', () => {
  it('shares one deeply frozen header per text', () => {
    const header = part({ alg: 'RS256', kid: 'k1', x5c: ['certificate'] });
    const first = decodeJwt(`${header}.${part({ sub: 'a' })}.c2ln`, options);
    const second = decodeJwt(`${header}.${part({ sub: 'b' })}.c2ln`, options);
    expect(second.header).toBe(first.header);
    expect(Object.isFrozen(first.header)).toBe(true);
    expect(Object.isFrozen(first.header.x5c)).toBe(true);
    expect(second.payload.sub).toBe('b');
  });

  it('rejects an encrypted header every time', () => {
    const header = part({ alg: 'RSA-OAEP', enc: 'A256GCM' });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(() => decodeJwt(`${header}.${part({ sub: 'a' })}.c2ln`, options)).toThrow(
        'The token is encrypted (JWE); send a signed JWT.',
      );
    }
  });

  it('still decodes headers past the cache size', () => {
    for (let index = 0; index < 200; index += 1) {
      const decoded = decodeJwt(
        `${part({ alg: 'ES256', kid: `k${index}` })}.${part({})}.c2ln`,
        options,
      );
      expect(decoded.header.kid).toBe(`k${index}`);
    }
  });
});
