import { AuthenticationError } from './errors.js';
import { decodeBase64urlText } from './runtime.js';

/** A JWT split and decoded, before anything about it is trusted. */
export interface DecodedJwt {
  /** The header, frozen: decoded headers are shared between tokens. */
  header: Readonly<Record<string, unknown>>;
  payload: Record<string, unknown>;
  /** The signed text: the header and payload parts with the dot between them. */
  signingInput: string;
  /** The signature part, still base64url-encoded. */
  signature: string;
}

const JWT_CHARACTERS = /^[A-Za-z0-9_\-.]+$/;

/** Options of {@link decodeJwt}. */
export interface DecodeOptions {
  maxTokenBytes: number;
  /** Add a hint that Google access tokens are opaque to the "not a JWT" message. */
  googleHint: boolean;
}

/**
 * Checks size and shape, then decodes header and payload without verifying anything. Runs before
 * any key lookup, so malformed input never reaches the network or the crypto code.
 *
 * @throws {AuthenticationError} `malformed_token` naming the shape problem.
 */
export function decodeJwt(token: string, options: DecodeOptions): DecodedJwt {
  if (token.length > options.maxTokenBytes) {
    throw malformed(`The token is longer than ${options.maxTokenBytes} bytes.`);
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    throw malformed('The token is encrypted (JWE); send a signed JWT.');
  }
  if (parts.length !== 3) {
    const hint = options.googleHint
      ? ' Google access tokens are opaque, not JWTs, and cannot be verified here; send a Google ID token.'
      : '';
    throw malformed(
      `The token is not a JWT: expected three dot-separated parts, got ${parts.length}.${hint}`,
    );
  }
  if (!JWT_CHARACTERS.test(token)) {
    throw malformed('The token contains characters outside base64url.');
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  if (signaturePart === '') throw malformed('The token has no signature.');
  if (!isCanonicalBase64url(signaturePart)) {
    throw malformed('The token signature is not valid base64url.');
  }

  return {
    header: decodeHeader(headerPart),
    payload: decodeJsonPart(payloadPart, 'payload'),
    signingInput: token.slice(0, headerPart.length + 1 + payloadPart.length),
    signature: signaturePart,
  };
}

// An IdP signs its tokens with few distinct headers, so decoded headers are kept, frozen, by
// their exact text. The map stops growing at its size, so an attacker's headers only miss it.
const HEADER_CACHE_SIZE = 64;
const MAX_CACHED_HEADER_LENGTH = 512;
const decodedHeaders = new Map<string, Readonly<Record<string, unknown>>>();

function decodeHeader(part: string): Readonly<Record<string, unknown>> {
  const cached = decodedHeaders.get(part);
  if (cached !== undefined) return cached;
  const header = decodeJsonPart(part, 'header');
  if (header.enc !== undefined) {
    throw malformed('The token is encrypted (JWE); send a signed JWT.');
  }
  if (typeof header.cty === 'string' && header.cty.toUpperCase() === 'JWT') {
    throw malformed('Nested JWTs are not accepted.');
  }
  if (typeof header.alg !== 'string') throw malformed('The token header has no "alg".');
  deepFreeze(header);
  if (decodedHeaders.size < HEADER_CACHE_SIZE && part.length <= MAX_CACHED_HEADER_LENGTH) {
    decodedHeaders.set(part, header);
  }
  return header;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const member of Object.values(value)) deepFreeze(member);
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// Base64url text with nonzero unused trailing bits decodes to the same bytes as the canonical
// text. Only the canonical text is valid, so each signature has exactly one spelling.
function isCanonicalBase64url(part: string): boolean {
  const remainder = part.length % 4;
  if (remainder === 1) return false;
  if (remainder === 0) return true;
  const lastValue = BASE64URL_ALPHABET.indexOf(part[part.length - 1]!);
  const unusedBits = remainder === 2 ? 0b1111 : 0b11;
  return (lastValue & unusedBits) === 0;
}

function decodeJsonPart(part: string, label: string): Record<string, unknown> {
  if (part === '' || !isCanonicalBase64url(part)) {
    throw malformed(`The token ${label} is not valid base64url.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(decodeBase64urlText(part));
  } catch {
    throw malformed(`The token ${label} is not valid base64url-encoded JSON.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(`The token ${label} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}

function malformed(message: string): AuthenticationError {
  return new AuthenticationError('malformed_token', message);
}
