import type { IncomingHttpHeaders } from 'node:http';

/**
 * Tells whether a request is a CORS preflight: `OPTIONS` with `Access-Control-Request-Method`.
 * Browsers send it without credentials, so it must pass unauthenticated.
 */
export function isPreflight(
  method: string | undefined,
  headers: IncomingHttpHeaders | Headers,
): boolean {
  if (method?.toUpperCase() !== 'OPTIONS') return false;
  const requested =
    headers instanceof Headers
      ? headers.get('access-control-request-method')
      : headers['access-control-request-method'];
  return requested !== undefined && requested !== null;
}
