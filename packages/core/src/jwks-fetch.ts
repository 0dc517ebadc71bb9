import { isLoopbackUrl } from './config.js';

/** A JSON Web Key as found in a JWK Set; only the members this library reads are typed. */
export interface PublicJwk {
  kty: string;
  kid?: string;
  alg?: string;
  use?: string;
  key_ops?: string[];
  crv?: string;
  n?: string;
  e?: string;
  x?: string;
  y?: string;
  [member: string]: unknown;
}

/** How one HTTP document (a JWK Set or a discovery document) is fetched. */
export interface FetchLimits {
  timeoutMs: number;
  maxResponseBytes: number;
  fetch: typeof fetch;
}

/** Why a JWK Set or discovery document could not be used. */
export class FetchFailure extends Error {
  override readonly name = 'FetchFailure';
}

/**
 * Fetches a JSON document under strict limits: https unless the host is loopback, a timeout
 * that aborts the request and the body, status 200 only, no redirects, and a size cap.
 */
export async function fetchJson(url: string, limits: FetchLimits): Promise<unknown> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopbackUrl(parsed))) {
    throw new FetchFailure(`${url} must use https`);
  }
  // One timeout covers both attempts, so a retry never extends the time limit.
  const init: RequestInit = {
    redirect: 'manual',
    signal: AbortSignal.timeout(limits.timeoutMs),
    headers: { accept: 'application/json' },
  };
  let response: Response;
  try {
    response = await limits.fetch(url, init).catch((error: unknown) => {
      // A pooled keep-alive connection that the server closed fails before any response is
      // read. The request is a GET, so it is sent once more.
      if (!isConnectionReset(error)) throw error;
      return limits.fetch(url, init);
    });
  } catch (error) {
    throw new FetchFailure(`request to ${url} failed: ${describeFetchError(error, limits)}`);
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => {});
    const redirect =
      response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
    throw new FetchFailure(`${url} returned HTTP ${response.status}${redirect}`);
  }
  const text = await readLimited(response, url, limits);
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchFailure(`${url} did not return JSON`);
  }
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

function isConnectionReset(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' && RESET_CODES.has(cause.code);
}

function describeFetchError(error: unknown, limits: FetchLimits): string {
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return `timed out after ${limits.timeoutMs} ms`;
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return error instanceof Error ? error.message : String(error);
}

async function readLimited(response: Response, url: string, limits: FetchLimits): Promise<string> {
  const tooLarge = () =>
    new FetchFailure(`${url} returned more than ${limits.maxResponseBytes} bytes`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxResponseBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (response.body === null) return '';

  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limits.maxResponseBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FetchFailure) throw error;
    throw new FetchFailure(`reading ${url} failed: ${describeFetchError(error, limits)}`);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FetchFailure(`${url} returned a body that is not UTF-8`);
  }
}

/**
 * Checks that a document is a JWK Set and returns its signing keys: keys whose `use` is absent
 * or `sig` and whose `key_ops`, when present, include `verify`. Other entries are skipped.
 */
export function parseJwkSet(document: unknown, url: string): PublicJwk[] {
  const keys = (document as { keys?: unknown } | null)?.keys;
  if (typeof document !== 'object' || document === null || !Array.isArray(keys)) {
    throw new FetchFailure(`${url} is not a JWK Set: it has no "keys" array`);
  }
  return keys.filter(isSigningKey);
}

function isSigningKey(value: unknown): value is PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const key = value as Record<string, unknown>;
  if (typeof key.kty !== 'string') return false;
  if (key.kid !== undefined && typeof key.kid !== 'string') return false;
  if (key.alg !== undefined && typeof key.alg !== 'string') return false;
  if (key.use !== undefined && key.use !== 'sig') return false;
  if (
    key.key_ops !== undefined &&
    !(Array.isArray(key.key_ops) && key.key_ops.includes('verify'))
  ) {
    return false;
  }
  // A private key has no place in a public JWK Set; never use one.
  return key.d === undefined;
}

/**
 * Reads `jwks_uri` from an OpenID Connect discovery document and checks that the document
 * belongs to `issuer`.
 */
export async function discoverJwksUri(issuer: string, limits: FetchLimits): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const document = (await fetchJson(url, limits)) as {
    issuer?: unknown;
    jwks_uri?: unknown;
  } | null;
  if (document?.issuer !== issuer) {
    throw new FetchFailure(
      `${url} names issuer ${JSON.stringify(document?.issuer)}, not ${JSON.stringify(issuer)}`,
    );
  }
  if (typeof document.jwks_uri !== 'string') {
    throw new FetchFailure(`${url} has no "jwks_uri"`);
  }
  return document.jwks_uri;
}
