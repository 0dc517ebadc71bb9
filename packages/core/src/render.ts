import { type AuthenticationError, authErrorHeaders, type ChallengeOptions } from './errors.js';

/**
 * Response body shapes for authentication failures.
 * - `default`: `{"detail":"<message>"}`, as FastAPI's `HTTPException` renders it.
 * - `openai`: the OpenAI API error object, so OpenAI clients raise their own typed errors.
 */
export type ErrorFormat = 'default' | 'openai';

/** Every supported {@link ErrorFormat}, for validating options. */
export const ERROR_FORMATS: readonly ErrorFormat[] = ['default', 'openai'];

/** A rendered error response, ready to write. `body` is the exact JSON text. */
export interface RenderedError {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Options of {@link renderAuthError}. */
export interface RenderOptions extends ChallengeOptions {
  /** Body shape; `default` unless set. */
  format?: ErrorFormat;
}

// The OpenAI `type` and `code` for each status. A 401 is what OpenAI's own API returns for a bad
// key, so OpenAI clients raise their AuthenticationError with code `invalid_api_key`.
const OPENAI_ERRORS: Record<number, { type: string; code: string }> = {
  400: { type: 'invalid_request_error', code: 'invalid_request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'permission_error', code: 'insufficient_scope' },
  503: { type: 'server_error', code: 'service_unavailable' },
};

/**
 * Renders an {@link AuthenticationError} to a status, headers and body. Every adapter answers
 * through this function, so all of them send the same bytes for the same failure.
 *
 * @example
 * ```ts
 * const { status, headers, body } = renderAuthError(error, { format: 'openai' });
 * response.writeHead(status, headers).end(body);
 * ```
 */
export function renderAuthError(
  error: AuthenticationError,
  options: RenderOptions = {},
): RenderedError {
  const headers = {
    'content-type': 'application/json',
    ...authErrorHeaders(error, options),
  };
  return { status: error.status, headers, body: renderBody(error, options.format ?? 'default') };
}

function renderBody(error: AuthenticationError, format: ErrorFormat): string {
  if (format === 'openai') {
    const mapped = OPENAI_ERRORS[error.status] ?? OPENAI_ERRORS[401]!;
    return JSON.stringify({
      error: { message: error.message, type: mapped.type, param: null, code: mapped.code },
    });
  }
  return JSON.stringify({ detail: error.message });
}
