import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import {
  createKey,
  type LocalIdp,
  type LocalKey,
  signRaw,
  startLocalIdp,
} from '@remem/auth-testing';
import { base64url, CompactSign, exportSPKI } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthErrorCode,
  AuthVerifier,
  authenticateRequest,
  isAuthenticationError,
  renderAuthError,
} from '../src/index.js';
import { recordingLogger } from './helpers.js';

const STATIC_TOKEN = 'static-token-Zq8wX2vL9';
const encode = (value: unknown) =>
  base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));

let idp: LocalIdp;
let other: LocalIdp;
let attacker: LocalIdp;
let rsa: LocalKey;
let ec: LocalKey;
let outsider: LocalKey;

const logger = recordingLogger();
const transcripts: string[] = [];

beforeAll(async () => {
  idp = await startLocalIdp({ algorithms: ['RS256', 'ES256'] });
  other = await startLocalIdp();
  attacker = await startLocalIdp();
  [rsa, ec] = idp.keys as [LocalKey, LocalKey];
  outsider = await createKey('RS256');
});

afterAll(async () => {
  await Promise.all([idp.close(), other.close(), attacker.close()]);
});

function freshVerifier() {
  return new AuthVerifier({
    idps: [
      idp.idpConfig({ algorithms: ['RS256', 'PS256', 'ES256'] }) as never,
      other.idpConfig({ name: 'other' }) as never,
    ],
    staticTokens: [STATIC_TOKEN],
    logger,
  });
}

function claims(extra: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: idp.issuer, aud: idp.audience, sub: 'victim', iat: now, exp: now + 300, ...extra };
}

/** Signs exactly these bytes as the payload, so a test can send JSON that JSON.stringify cannot produce. */
async function signText(header: Record<string, unknown>, payloadText: string, key: LocalKey = rsa) {
  return new CompactSign(new TextEncoder().encode(payloadText))
    .setProtectedHeader(header as { alg: string })
    .sign(key.privateKey);
}

async function hmacWith(secret: Uint8Array, alg = 'HS256') {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims())))
    .setProtectedHeader({ alg, kid: rsa.kid })
    .sign(secret);
}

function unsigned(header: Record<string, unknown>, payload: unknown = claims(), signature = '') {
  return `${encode(header)}.${encode(payload)}.${signature}`;
}

type Attack = [
  name: string,
  build: () => Promise<string> | string,
  code: AuthErrorCode,
  network: boolean,
];

const attacks: Attack[] = [
  // Unsigned tokens: alg "none" in any spelling.
  ['alg none without signature', () => unsigned({ alg: 'none' }), 'malformed_token', false],
  ...(['none', 'None', 'NONE', 'nOnE'] as const).map(
    (alg): Attack => [
      `alg ${alg} with a signature`,
      () => unsigned({ alg }, claims(), 'c2ln'),
      'unsupported_token',
      false,
    ],
  ),
  // Symmetric algorithms keyed with public material.
  [
    'HS256 keyed with the public key PEM',
    async () =>
      hmacWith(
        new TextEncoder().encode(
          await exportSPKI(rsa.privateKey as never).catch(() => JSON.stringify(rsa.publicJwk)),
        ),
      ),
    'unsupported_token',
    false,
  ],
  [
    'HS256 keyed with the JWK bytes',
    () => hmacWith(new TextEncoder().encode(JSON.stringify(rsa.publicJwk))),
    'unsupported_token',
    false,
  ],
  [
    'HS384 keyed with the JWK bytes',
    () => hmacWith(new TextEncoder().encode(JSON.stringify(rsa.publicJwk)), 'HS384'),
    'unsupported_token',
    false,
  ],
  [
    'HS512 keyed with the modulus',
    () => hmacWith(new TextEncoder().encode(String(rsa.publicJwk.n)), 'HS512'),
    'unsupported_token',
    false,
  ],
  // Algorithms and keys that do not fit.
  [
    'an algorithm outside the allow-list',
    () => unsigned({ alg: 'RS384', kid: rsa.kid }, claims(), 'c2ln'),
    'unsupported_token',
    false,
  ],
  [
    'a lower-case algorithm name',
    () => unsigned({ alg: 'rs256', kid: rsa.kid }, claims(), 'c2ln'),
    'unsupported_token',
    false,
  ],
  [
    'an algorithm with a trailing space',
    () => unsigned({ alg: 'RS256 ', kid: rsa.kid }, claims(), 'c2ln'),
    'unsupported_token',
    false,
  ],
  [
    'a JWK alg that differs from the header',
    () => unsigned({ alg: 'PS256', kid: rsa.kid }, claims(), 'c2ln'),
    'unsupported_token',
    true,
  ],
  [
    'an EC key named by an RS header',
    () => unsigned({ alg: 'RS256', kid: ec.kid }, claims(), 'c2ln'),
    'unsupported_token',
    true,
  ],
  [
    'an RSA key named by an ES header',
    () => unsigned({ alg: 'ES256', kid: rsa.kid }, claims(), 'c2ln'),
    'unsupported_token',
    true,
  ],
  [
    'a duplicated alg member ending in none',
    () => `${encode(`{"alg":"RS256","alg":"none","kid":"${rsa.kid}"}`)}.${encode(claims())}.c2ln`,
    'unsupported_token',
    false,
  ],
  // Keys carried by the token are never used.
  [
    'an embedded jwk header',
    () => signRaw({ alg: 'RS256', jwk: outsider.publicJwk }, claims(), outsider.privateKey),
    'invalid_signature',
    true,
  ],
  [
    'an embedded jwk with the victim kid',
    () =>
      signRaw(
        { alg: 'RS256', kid: rsa.kid, jwk: outsider.publicJwk },
        claims(),
        outsider.privateKey,
      ),
    'invalid_signature',
    true,
  ],
  [
    'a jku header',
    () =>
      signRaw(
        { alg: 'RS256', kid: attacker.keys[0]!.kid, jku: attacker.jwksUri },
        claims(),
        attacker.keys[0]!.privateKey,
      ),
    'unknown_key',
    true,
  ],
  [
    'an x5u header',
    () =>
      signRaw(
        { alg: 'RS256', kid: outsider.kid, x5u: `${attacker.url}/cert.pem` },
        claims(),
        outsider.privateKey,
      ),
    'unknown_key',
    true,
  ],
  [
    'an x5c header',
    () => signRaw({ alg: 'RS256', kid: rsa.kid, x5c: ['MIIBfake'] }, claims(), outsider.privateKey),
    'invalid_signature',
    true,
  ],
  // Hostile kid values.
  [
    'a kid with a path',
    () => signRaw({ alg: 'RS256', kid: '../../../../etc/passwd' }, claims(), outsider.privateKey),
    'unknown_key',
    true,
  ],
  [
    'a kid with SQL',
    () => signRaw({ alg: 'RS256', kid: "' OR '1'='1' --" }, claims(), outsider.privateKey),
    'unknown_key',
    true,
  ],
  [
    'a kid that is a number',
    () => signRaw({ alg: 'RS256', kid: 7 }, claims(), rsa.privateKey),
    'malformed_token',
    false,
  ],
  // Extensions and token kinds that are never accepted.
  [
    'an unknown crit extension',
    () =>
      unsigned(
        { alg: 'RS256', kid: rsa.kid, crit: ['urn:evil'], 'urn:evil': true },
        claims(),
        'c2ln',
      ),
    'unsupported_token',
    false,
  ],
  [
    'crit b64 false',
    () => unsigned({ alg: 'RS256', kid: rsa.kid, crit: ['b64'], b64: false }, claims(), 'c2ln'),
    'unsupported_token',
    false,
  ],
  [
    'a JWE with five parts',
    () => `${encode({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a2V5.aXY.Y2lwaGVy.dGFn`,
    'malformed_token',
    false,
  ],
  [
    'an enc member on three parts',
    () => unsigned({ alg: 'RS256', enc: 'A256GCM' }, claims(), 'c2ln'),
    'malformed_token',
    false,
  ],
  [
    'a nested JWT',
    () => signRaw({ alg: 'RS256', kid: rsa.kid, cty: 'JWT' }, claims(), rsa.privateKey),
    'malformed_token',
    false,
  ],
  // Size and encoding.
  [
    'an oversized token',
    () =>
      signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ pad: 'x'.repeat(9000) }), rsa.privateKey),
    'malformed_token',
    false,
  ],
  [
    'standard base64 characters',
    () => unsigned({ alg: 'RS256' }, claims(), 'a+b/c'),
    'malformed_token',
    false,
  ],
  [
    'base64 padding',
    () => unsigned({ alg: 'RS256' }, claims(), 'c2lnbg=='),
    'malformed_token',
    false,
  ],
  [
    'an impossible base64url length',
    () => `${encode({ alg: 'RS256' })}x.${encode(claims())}.c2ln`,
    'malformed_token',
    false,
  ],
  [
    'a header that is not JSON',
    () => `${encode('{alg:RS256}')}.${encode(claims())}.c2ln`,
    'malformed_token',
    false,
  ],
  [
    'a header that is invalid UTF-8',
    () => `${base64url.encode(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))}.${encode(claims())}.c2ln`,
    'malformed_token',
    false,
  ],
  ['an empty header part', () => `.${encode(claims())}.c2ln`, 'malformed_token', false],
  ['no signature part', () => unsigned({ alg: 'RS256', kid: rsa.kid }), 'malformed_token', false],
  [
    'four parts',
    () => `${unsigned({ alg: 'RS256' }, claims(), 'c2ln')}.eHg`,
    'malformed_token',
    false,
  ],
  [
    'a payload that is an array',
    () => signText({ alg: 'RS256', kid: rsa.kid }, '[1,2]'),
    'malformed_token',
    false,
  ],
  [
    'a payload that is a string',
    () => signText({ alg: 'RS256', kid: rsa.kid }, '"victim"'),
    'malformed_token',
    false,
  ],
  [
    'a payload that is null',
    () => signText({ alg: 'RS256', kid: rsa.kid }, 'null'),
    'malformed_token',
    false,
  ],
  [
    'an issuer that is a list',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ iss: [idp.issuer] }), rsa.privateKey),
    'malformed_token',
    false,
  ],
  // Time claims.
  [
    'exp as a string',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ exp: '9999999999' }), rsa.privateKey),
    'invalid_claims',
    true,
  ],
  [
    'exp as null (NaN in JSON)',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ exp: Number.NaN }), rsa.privateKey),
    'invalid_claims',
    true,
  ],
  [
    'exp beyond double range',
    () =>
      signText(
        { alg: 'RS256', kid: rsa.kid },
        JSON.stringify(claims()).replace(/"exp":\d+/, '"exp":1e400'),
      ),
    'invalid_claims',
    true,
  ],
  [
    'exp missing',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ exp: undefined }), rsa.privateKey),
    'invalid_claims',
    true,
  ],
  [
    'exp in the past',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ exp: 1_000_000_000 }), rsa.privateKey),
    'token_expired',
    true,
  ],
  [
    'nbf as a string',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ nbf: 'now' }), rsa.privateKey),
    'invalid_claims',
    true,
  ],
  [
    'nbf beyond double range',
    () =>
      signText(
        { alg: 'RS256', kid: rsa.kid },
        JSON.stringify(claims()).replace(/}$/, ',"nbf":-1e400}'),
      ),
    'invalid_claims',
    true,
  ],
  [
    'iat as a boolean',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ iat: true }), rsa.privateKey),
    'invalid_claims',
    true,
  ],
  [
    'iat an hour in the future',
    () =>
      signRaw(
        { alg: 'RS256', kid: rsa.kid },
        claims({ iat: Math.floor(Date.now() / 1000) + 3600 }),
        rsa.privateKey,
      ),
    'token_not_yet_valid',
    true,
  ],
  // Issuers that nearly match.
  [
    'an issuer with a trailing slash',
    () =>
      signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ iss: `${idp.issuer}/` }), rsa.privateKey),
    'untrusted_issuer',
    false,
  ],
  [
    'an issuer in upper case',
    () =>
      signRaw(
        { alg: 'RS256', kid: rsa.kid },
        claims({ iss: idp.issuer.toUpperCase() }),
        rsa.privateKey,
      ),
    'untrusted_issuer',
    false,
  ],
  [
    'an issuer with another scheme',
    () =>
      signRaw(
        { alg: 'RS256', kid: rsa.kid },
        claims({ iss: idp.issuer.replace('http:', 'https:') }),
        rsa.privateKey,
      ),
    'untrusted_issuer',
    false,
  ],
  [
    'an issuer with a suffix',
    () =>
      signRaw(
        { alg: 'RS256', kid: rsa.kid },
        claims({ iss: `${idp.issuer}.evil.test` }),
        rsa.privateKey,
      ),
    'untrusted_issuer',
    false,
  ],
  // Audiences.
  [
    'an empty audience',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ aud: '' }), rsa.privateKey),
    'invalid_audience',
    true,
  ],
  [
    'an empty audience list',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ aud: [] }), rsa.privateKey),
    'invalid_audience',
    true,
  ],
  [
    'an audience list with a number',
    () =>
      signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ aud: [idp.audience, 42] }), rsa.privateKey),
    'invalid_audience',
    true,
  ],
  [
    'an audience object',
    () =>
      signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ aud: { 0: idp.audience } }), rsa.privateKey),
    'invalid_audience',
    true,
  ],
  [
    'no audience',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims({ aud: undefined }), rsa.privateKey),
    'invalid_audience',
    true,
  ],
  // Static tokens.
  [
    'a static token with its last character changed',
    () => `${STATIC_TOKEN.slice(0, -1)}8`,
    'malformed_token',
    false,
  ],
  [
    'a static token with its first character changed',
    () => `S${STATIC_TOKEN.slice(1)}`,
    'malformed_token',
    false,
  ],
  ['a static token with a suffix', () => `${STATIC_TOKEN}x`, 'malformed_token', false],
  ['a static token prefix', () => STATIC_TOKEN.slice(0, 8), 'malformed_token', false],
  // Signatures that do not belong.
  [
    'a token signed by another configured IdP',
    () => signRaw({ alg: 'RS256', kid: other.keys[0]!.kid }, claims(), other.keys[0]!.privateKey),
    'unknown_key',
    true,
  ],
  [
    'another IdP key under the victim kid',
    () => signRaw({ alg: 'RS256', kid: rsa.kid }, claims(), other.keys[0]!.privateKey),
    'invalid_signature',
    true,
  ],
  [
    'a payload changed after signing',
    async () => {
      const [header, , signature] = (await idp.mintToken({ claims: { sub: 'user' } })).split('.');
      return `${header}.${encode(claims({ sub: 'admin' }))}.${signature}`;
    },
    'invalid_signature',
    true,
  ],
  [
    'an ES256 signature in DER form',
    async () => {
      const token = await idp.mintToken({ alg: 'ES256' });
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const raw = base64url.decode(signature);
      const der = new Uint8Array([
        0x30,
        raw.length + 4,
        0x02,
        32,
        ...raw.slice(0, 32),
        0x02,
        32,
        ...raw.slice(32),
      ]);
      return `${header}.${payload}.${base64url.encode(der)}`;
    },
    'invalid_signature',
    true,
  ],
];

describe('attack suite', () => {
  it('has at least forty hostile tokens', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(40);
  });

  it.each(attacks)('rejects %s', async (_, build, code, network) => {
    const token = await build();
    const before = idp.requests.length + other.requests.length + attacker.requests.length;
    let caught: unknown;
    try {
      await freshVerifier().verifyToken(token);
    } catch (error) {
      caught = error;
    }
    expect(isAuthenticationError(caught)).toBe(true);
    const error = caught as { code: string; message: string };
    expect(error.code).toBe(code);
    expect(attacker.requests).toEqual([]);
    if (!network) {
      expect(idp.requests.length + other.requests.length + attacker.requests.length).toBe(before);
    }
    const rendered = renderAuthError(caught as never);
    transcripts.push(token, JSON.stringify(rendered), error.message);
    expect(JSON.stringify(rendered)).not.toContain(token);
    expect(error.message).not.toContain(token);
  });

  it('refuses an RSA key shorter than 2048 bits', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const weakJwk = {
      ...publicKey.export({ format: 'jwk' }),
      kid: 'weak',
      alg: 'RS256',
      use: 'sig',
    };
    const weak = await startLocalIdp();
    weak.fail({ body: JSON.stringify({ keys: [weakJwk] }) });
    try {
      const now = Math.floor(Date.now() / 1000);
      const input = `${encode({ alg: 'RS256', kid: 'weak' })}.${encode({ iss: weak.issuer, aud: weak.audience, sub: 'x', exp: now + 60 })}`;
      const token = `${input}.${base64url.encode(nodeSign('sha256', Buffer.from(input), privateKey))}`;
      const verifier = new AuthVerifier({ idps: [weak.idpConfig() as never], logger });
      const error = await verifier.verifyToken(token).catch((caught: unknown) => caught);
      expect((error as { code: string }).code).toBe('unsupported_token');
    } finally {
      await weak.close();
    }
  });

  it('does not let a __proto__ claim pollute objects', async () => {
    const token = await signText(
      { alg: 'RS256', kid: rsa.kid },
      JSON.stringify(claims()).replace(/}$/, ',"__proto__":{"polluted":true}}'),
    );
    const user = await freshVerifier().verifyToken(token);
    expect(user.subject).toBe('victim');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(user.claims)).toBe(Object.prototype);
  });

  it.each([
    ['two bearer tokens', { authorization: 'Bearer aaa.bbb.ccc Bearer ddd.eee.fff' }],
    ['a comma-joined duplicate', { authorization: 'Bearer aaa.bbb.ccc, Bearer ddd.eee.fff' }],
    ['a duplicated api-key', { 'api-key': ['aaa.bbb.ccc', 'ddd.eee.fff'] }],
    ['a quoted token', { authorization: 'Bearer "aaa.bbb.ccc"' }],
  ])('rejects a request with %s as 400', async (_, headers) => {
    const error = await authenticateRequest(freshVerifier(), headers).catch(
      (caught: unknown) => caught,
    );
    expect((error as { code: string }).code).toBe('invalid_request');
    expect((error as { status: number }).status).toBe(400);
  });

  it('never logs or renders a token', () => {
    expect(transcripts.length).toBeGreaterThan(0);
    const tokens = transcripts.filter((_, index) => index % 3 === 0);
    const output = [
      ...transcripts.filter((_, index) => index % 3 !== 0),
      ...logger.lines.map((line) => JSON.stringify(line)),
    ].join('\n');
    for (const token of tokens) expect(output).not.toContain(token);
    expect(output).not.toContain(STATIC_TOKEN);
  });
});
