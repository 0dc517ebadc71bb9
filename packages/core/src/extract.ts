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
  const nested = (source as { headers?: unknown }).headers;
  const hasNested = typeof nested === 'object' && nested !== null;
  const headers = (hasNested ? nested : source) as HeaderSource;
  const rawHeaders = hasNested
    ? (source as { rawHeaders?: readonly string[] }).rawHeaders
    : undefined;

  const authorization = readHeader(headers, 'authorization', rawHeaders);
  if (authorization !== undefined) {
    const start = bearerTokenStart(authorization);
    if (start !== -1) {
      const token = authorization.slice(start).trimEnd();
      if (token === '') return undefined;
      return checkToken(token, 'Authorization');
    }
  }

  const apiKey = readHeader(headers, 'api-key', rawHeaders)?.trim();
  if (apiKey === undefined || apiKey === '') return undefined;
  return checkToken(apiKey, 'api-key');
}

// Returns where the token starts after a `Bearer` scheme (any case, then spaces or the end of
// the value), or -1 for another scheme.
function bearerTokenStart(value: string): number {
  if (value.length < 6 || value.slice(0, 6).toLowerCase() !== 'bearer') return -1;
  let index = 6;
  if (index < value.length && value[index] !== ' ') return -1;
  while (index < value.length && value[index] === ' ') index += 1;
  return index;
}

function checkToken(token: string, header: string): string {
  // The pattern admits neither commas nor white space, so a valid token passes one test.
  if (BEARER_TOKEN_PATTERN.test(token)) return token;
  if (token.includes(',')) throw duplicate(header);
  if (/\s/.test(token)) {
    throw new AuthenticationError(
      'invalid_request',
      `The ${header} header holds more than one value; send exactly one token.`,
    );
  }
  throw new AuthenticationError(
    'invalid_request',
    `The ${header} header holds characters a bearer token cannot contain; send the token as issued.`,
  );
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
  if (rawHeaders !== undefined) {
    // Node keeps only the first of duplicated Authorization headers in `headers`, so the raw list
    // is the only place where a duplicate shows.
    let count = 0;
    for (let index = 0; index < rawHeaders.length; index += 2) {
      const key = rawHeaders[index];
      if (key?.length === name.length && key.toLowerCase() === name) count += 1;
    }
    if (count > 1) throw duplicate(name === 'authorization' ? 'Authorization' : name);
  }

  if (isFetchHeaders(headers)) return headers.get(name) ?? undefined;
  const values: unknown[] = [];
  if (headers instanceof Map) {
    for (const [key, value] of headers) {
      if (isHeader(key, name) && value !== undefined && value !== null) values.push(value);
    }
  } else {
    // Own enumerable names only, in any case: a name inherited from a prototype is never a
    // header, and two spellings of one name are a duplicate.
    const record = headers as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (
        isHeader(key, name) &&
        value !== undefined &&
        value !== null &&
        Object.hasOwn(record, key)
      ) {
        values.push(value);
      }
    }
  }
  return singleValue(values.length === 1 ? values[0] : values.flat(), name);
}

function isHeader(key: unknown, name: string): boolean {
  return typeof key === 'string' && key.length === name.length && key.toLowerCase() === name;
}

function singleValue(value: unknown, name: string): string | undefined {
  const values = Array.isArray(value) ? value : [value];
  if (values.length > 1) throw duplicate(name === 'authorization' ? 'Authorization' : name);
  const [first] = values;
  return typeof first === 'string' ? first : undefined;
}

function isFetchHeaders(headers: HeaderSource): headers is { get(name: string): string | null } {
  return !(headers instanceof Map) && typeof (headers as { get?: unknown }).get === 'function';
}
