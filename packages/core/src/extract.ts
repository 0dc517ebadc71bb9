import { BEARER_TOKEN_PATTERN } from './config.js';
import { AuthenticationError } from './errors.js';

/** Header values as Node, Fetch, plain objects and `Map`s hold them. */
export type HeaderValue = string | readonly string[] | undefined | null;

/**
 * Anything {@link extractToken} reads: a Fetch `Headers`, a `Map`, a plain record (Node's
 * `IncomingHttpHeaders` is one), or an object with one of those under `headers` (a Node
 * `IncomingMessage`, a Fetch `Request`, an Express, Fastify or Koa request).
 */
export type HeaderSource =
  | { get(name: string): string | null }
  | ReadonlyMap<string, HeaderValue>
  | Readonly<Record<string, unknown>>;

/**
 * The input of {@link extractToken}: a request with `headers` (and Node's `rawHeaders`, where a
 * duplicated header shows), or the headers themselves.
 */
export type TokenSource = HeaderSource | { headers: HeaderSource; rawHeaders?: readonly string[] };

const BEARER_PREFIX = /^bearer(?: +|$)/i;

/**
 * Reads the token of a request: `Authorization: Bearer <token>` first (scheme in any case, one
 * or more spaces), then the `api-key` header. Returns `undefined` when neither carries a token.
 *
 * @throws {AuthenticationError} `invalid_request` (400) when a header contains two tokens, is sent
 * twice, or contains characters a bearer token cannot contain; the first token is never picked.
 *
 * @example
 * ```ts
 * const token = extractToken(request); // a Node, Express or Fetch request, or its headers
 * const user = await verifier.verifyToken(token);
 * ```
 */
export function extractToken(source: TokenSource): string | undefined {
  const headers = hasHeaders(source) ? source.headers : source;
  const rawHeaders = hasHeaders(source) ? source.rawHeaders : undefined;

  const authorization = readHeader(headers, 'authorization', rawHeaders);
  if (authorization !== undefined && BEARER_PREFIX.test(authorization)) {
    const token = authorization.replace(BEARER_PREFIX, '').trimEnd();
    if (token === '') return undefined;
    return checkToken(token, 'Authorization');
  }

  const apiKey = readHeader(headers, 'api-key', rawHeaders)?.trim();
  if (apiKey === undefined || apiKey === '') return undefined;
  return checkToken(apiKey, 'api-key');
}

function hasHeaders(
  source: TokenSource,
): source is { headers: HeaderSource; rawHeaders?: readonly string[] } {
  const candidate = (source as { headers?: unknown }).headers;
  return typeof candidate === 'object' && candidate !== null;
}

function checkToken(token: string, header: string): string {
  if (token.includes(',')) throw duplicate(header);
  if (/\s/.test(token)) {
    throw new AuthenticationError(
      'invalid_request',
      `The ${header} header holds more than one value; send exactly one token.`,
    );
  }
  if (!BEARER_TOKEN_PATTERN.test(token)) {
    throw new AuthenticationError(
      'invalid_request',
      `The ${header} header holds characters a bearer token cannot contain; send the token as issued.`,
    );
  }
  return token;
}

function duplicate(header: string): AuthenticationError {
  return new AuthenticationError(
    'invalid_request',
    `The ${header} header was sent more than once; send exactly one token.`,
  );
}

function readHeader(
  headers: HeaderSource,
  name: string,
  rawHeaders: readonly string[] | undefined,
): string | undefined {
  // Node keeps only the first of duplicated Authorization headers in `headers`, so the raw list
  // is the only place where a duplicate shows.
  if (rawHeaders !== undefined) {
    let count = 0;
    for (let index = 0; index < rawHeaders.length; index += 2) {
      if (rawHeaders[index]?.toLowerCase() === name) count += 1;
    }
    if (count > 1) throw duplicate(name === 'authorization' ? 'Authorization' : name);
  }

  if (isFetchHeaders(headers)) return headers.get(name) ?? undefined;
  const entries = headers instanceof Map ? headers.entries() : Object.entries(headers);
  const values: HeaderValue[] = [];
  for (const [key, value] of entries) {
    if (
      typeof key === 'string' &&
      key.toLowerCase() === name &&
      value !== undefined &&
      value !== null
    ) {
      values.push(value as HeaderValue);
    }
  }
  const flat = values.flat();
  if (flat.length > 1) throw duplicate(name === 'authorization' ? 'Authorization' : name);
  const [value] = flat;
  return typeof value === 'string' ? value : undefined;
}

function isFetchHeaders(headers: HeaderSource): headers is { get(name: string): string | null } {
  return !(headers instanceof Map) && typeof (headers as { get?: unknown }).get === 'function';
}
