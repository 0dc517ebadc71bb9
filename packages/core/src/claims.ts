import type { JwtClaims } from './config.js';
import { AuthenticationError } from './errors.js';
import type { TrustedIdp } from './idps.js';

/** The time rules of one verification. Times in seconds. */
export interface TimeRules {
  verifyExp: boolean;
  clockToleranceSeconds: number;
  nowSeconds: number;
}

/**
 * Checks `exp`, `nbf` and `iat` (RFC 7519 section 4.1). `exp` is required unless expiry checks
 * are off; every present time claim must be a finite number.
 *
 * @throws {AuthenticationError} `token_expired`, `token_not_yet_valid` or `invalid_claims`.
 */
export function checkTimes(claims: JwtClaims, rules: TimeRules, idpName: string): void {
  const { nowSeconds, clockToleranceSeconds: tolerance } = rules;
  if (rules.verifyExp) {
    const exp = numericDate(claims, 'exp', idpName);
    if (exp === undefined) {
      throw new AuthenticationError('invalid_claims', 'The token has no "exp" claim.', { idpName });
    }
    if (nowSeconds > exp + tolerance) {
      throw new AuthenticationError('token_expired', 'The token has expired.', {
        idpName,
        expected: `exp after ${isoTime(nowSeconds - tolerance)}`,
        actual: isoTime(exp),
      });
    }
  }
  const nbf = numericDate(claims, 'nbf', idpName);
  if (nbf !== undefined && nowSeconds + tolerance < nbf) {
    throw new AuthenticationError('token_not_yet_valid', 'The token is not valid yet.', {
      idpName,
      expected: `nbf before ${isoTime(nowSeconds + tolerance)}`,
      actual: isoTime(nbf),
    });
  }
  const iat = numericDate(claims, 'iat', idpName);
  if (iat !== undefined && nowSeconds + tolerance < iat) {
    throw new AuthenticationError('token_not_yet_valid', 'The token was issued in the future.', {
      idpName,
      expected: `iat before ${isoTime(nowSeconds + tolerance)}`,
      actual: isoTime(iat),
    });
  }
}

function numericDate(claims: JwtClaims, name: string, idpName: string): number | undefined {
  const value = claims[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AuthenticationError(
      'invalid_claims',
      `The token's "${name}" claim is not a number.`,
      {
        idpName,
      },
    );
  }
  return value;
}

function isoTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? String(seconds) : date.toISOString();
}

/**
 * Checks `aud` against the accepted audiences: a string or a list of strings, any of which may
 * match. Returns the matched audience, or `undefined` when audiences are not checked.
 *
 * @throws {AuthenticationError} `invalid_audience`.
 */
export function checkAudience(
  claims: JwtClaims,
  audiences: readonly string[] | null,
  idpName: string,
): string | undefined {
  if (audiences === null) return undefined;
  const aud = claims.aud;
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : undefined;
  if (values === undefined || values.length === 0) {
    throw new AuthenticationError('invalid_audience', 'The token has no "aud" claim.', {
      idpName,
      expected: audiences,
    });
  }
  if (values.some((value) => typeof value !== 'string' || value === '')) {
    throw new AuthenticationError(
      'invalid_audience',
      'The token\'s "aud" claim holds a value that is not a string.',
      {
        idpName,
        expected: audiences,
      },
    );
  }
  const matched = (values as string[]).find((value) => audiences.includes(value));
  if (matched === undefined) {
    throw new AuthenticationError(
      'invalid_audience',
      'The token is not meant for this service (audience mismatch).',
      {
        idpName,
        expected: audiences,
        actual: values,
      },
    );
  }
  return matched;
}

/**
 * Applies an IdP's own rules on the header: algorithm allow-list, `crit`, `typ`, and Entra's
 * Microsoft Graph tokens. Runs before any key is fetched.
 *
 * @throws {AuthenticationError} `unsupported_token`.
 */
export function checkHeader(header: Record<string, unknown>, idp: TrustedIdp): void {
  const alg = header.alg as string;
  if (alg.toLowerCase() === 'none') {
    throw unsupported(idp, 'The token is not signed (alg "none").', alg);
  }
  if (!idp.algorithms.has(alg as never)) {
    throw unsupported(idp, `The token's algorithm is not accepted for ${idp.name}.`, alg, [
      ...idp.algorithms,
    ]);
  }
  if (header.crit !== undefined) {
    throw unsupported(
      idp,
      'The token header lists critical extensions this service does not support.',
      header.crit,
    );
  }
  if (idp.kind === 'azure' && header.nonce !== undefined) {
    throw unsupported(
      idp,
      "This is a Microsoft Graph token, which only Microsoft Graph can verify; request a token for this API's scope instead.",
      'nonce header',
    );
  }
  if (idp.typ !== undefined && normalizeTyp(header.typ) !== normalizeTyp(idp.typ)) {
    throw unsupported(idp, `The token's type is not "${idp.typ}".`, header.typ, idp.typ);
  }
}

// RFC 8725 section 3.11 and RFC 9068 section 2.1: `typ` is compared without case and with an
// optional `application/` prefix.
function normalizeTyp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.toLowerCase().replace(/^application\//, '');
}

function unsupported(idp: TrustedIdp, message: string, actual: unknown, expected?: unknown) {
  return new AuthenticationError('unsupported_token', message, {
    idpName: idp.name,
    actual,
    expected,
  });
}

/**
 * Checks that the claims an IdP requires are present.
 *
 * @throws {AuthenticationError} `invalid_claims`.
 */
export function checkRequiredClaims(claims: JwtClaims, idp: TrustedIdp): void {
  for (const name of idp.requiredClaims) {
    if (claims[name] === undefined || claims[name] === null) {
      throw new AuthenticationError('invalid_claims', `The token has no "${name}" claim.`, {
        idpName: idp.name,
        expected: name,
      });
    }
  }
}

/**
 * Runs an IdP's custom claim check, after every standard check has passed.
 *
 * @throws {AuthenticationError} `invalid_claims` when the check returns `false` or throws.
 */
export async function runClaimCheck(
  claims: JwtClaims,
  header: Record<string, unknown>,
  idp: TrustedIdp,
): Promise<void> {
  if (idp.claimCheck === undefined) return;
  let accepted: boolean | undefined;
  try {
    accepted = await idp.claimCheck(claims, { idpName: idp.name, header });
  } catch (error) {
    if (error instanceof AuthenticationError) throw error;
    throw new AuthenticationError('invalid_claims', 'The token was rejected by a claim check.', {
      idpName: idp.name,
      cause: error,
    });
  }
  if (accepted === false) {
    throw new AuthenticationError('invalid_claims', 'The token was rejected by a claim check.', {
      idpName: idp.name,
    });
  }
}
