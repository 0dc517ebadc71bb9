import { type LocalIdp, startLocalIdp } from '@remem/auth-testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthVerifier,
  extractToken,
  isAuthenticationError,
  renderAuthError,
} from '../src/index.js';
import { recordingLogger } from './helpers.js';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const logger = recordingLogger();
const outputs: string[] = [];

let idp: LocalIdp;
let verifier: AuthVerifier;
let validToken: string;

beforeAll(async () => {
  idp = await startLocalIdp({ algorithms: ['RS256'] });
  verifier = new AuthVerifier({
    idps: [idp.idpConfig() as never],
    staticTokens: ['static-token-for-properties'],
    logger,
  });
  validToken = await idp.mintToken({ expiresIn: 3600 });
  await verifier.verifyToken(validToken);
});

afterAll(async () => {
  await idp.close();
});

/** Verifies `token`, asserting it is rejected with an AuthenticationError that does not hold it. */
async function expectRejected(token: string): Promise<void> {
  let caught: unknown;
  try {
    await verifier.verifyToken(token);
  } catch (error) {
    caught = error;
  }
  expect(isAuthenticationError(caught)).toBe(true);
  const rendered = JSON.stringify(renderAuthError(caught as never));
  outputs.push(rendered, (caught as Error).message);
  if (token.length >= 12) {
    expect(rendered).not.toContain(token);
    expect((caught as Error).message).not.toContain(token);
  }
}

const base64urlPart = fc.string({
  unit: fc.constantFrom(...BASE64URL),
  minLength: 0,
  maxLength: 120,
});

describe('verifyToken properties', () => {
  it('rejects arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 300 }), async (token) => {
        await expectRejected(token);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects arbitrary three-part base64url tokens', async () => {
    await fc.assert(
      fc.asyncProperty(
        base64urlPart,
        base64urlPart,
        base64urlPart,
        async (header, payload, signature) => {
          await expectRejected(`${header}.${payload}.${signature}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects a valid token with one character changed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: validToken.length - 1 }),
        fc.constantFrom(...`${BASE64URL}.=+/ `),
        async (position, replacement) => {
          fc.pre(validToken[position] !== replacement);
          await expectRejected(
            validToken.slice(0, position) + replacement + validToken.slice(position + 1),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('rejects a valid token with a part removed, repeated or swapped', async () => {
    const [header, payload, signature] = validToken.split('.') as [string, string, string];
    const variants = [
      `${header}.${payload}`,
      `${header}.${payload}.${signature}.${signature}`,
      `${payload}.${header}.${signature}`,
      `${header}.${header}.${signature}`,
      `${header}.${payload}.${signature.slice(0, -4)}`,
      `${header}..${signature}`,
      ` ${validToken}`,
      `${validToken}\n`,
    ];
    for (const variant of variants) await expectRejected(variant);
  });

  it('never logs a token', () => {
    const logged = logger.lines
      .map((line) => `${line.message} ${JSON.stringify(line.fields)}`)
      .join('\n');
    expect(logged).not.toContain(validToken);
    expect(logged).not.toContain('static-token-for-properties');
    expect(outputs.join('\n')).not.toContain(validToken.split('.')[2]);
  });
});

describe('extractToken properties', () => {
  it('returns a b64token or throws an AuthenticationError', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }),
        fc.option(fc.string({ maxLength: 80 })),
        (authorization, apiKey) => {
          const headers: Record<string, string> = { authorization };
          if (apiKey !== null) headers['api-key'] = apiKey;
          try {
            const token = extractToken(headers);
            if (token !== undefined) expect(token).toMatch(/^[A-Za-z0-9\-._~+/]+=*$/);
          } catch (error) {
            expect(isAuthenticationError(error)).toBe(true);
            expect((error as { status: number }).status).toBe(400);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
