import { HttpException } from '@nestjs/common';
import type { AuthenticationError, RenderedError } from '@remem/auth-core';

/**
 * The exception the guard throws for a failed authentication. It is an `HttpException` with the
 * failure's status, and its response is the core's rendered body as an object, so Nest's own
 * exception handler and any filter of yours respond with the right status and body.
 * `RememAuthExceptionFilter` sends {@link RememAuthException.rendered} byte for byte.
 *
 * @example
 * ```ts
 * @Catch(RememAuthException)
 * class AuditFilter implements ExceptionFilter {
 *   catch(exception: RememAuthException, host: ArgumentsHost) {
 *     audit.record(exception.authError.code);
 *     throw exception;
 *   }
 * }
 * ```
 */
export class RememAuthException extends HttpException {
  /** The core's error, with its stable `code`. */
  readonly authError: AuthenticationError;
  /** The core's rendering: status, headers (`WWW-Authenticate` among them) and exact body. */
  readonly rendered: RenderedError;

  constructor(authError: AuthenticationError, rendered: RenderedError) {
    super(JSON.parse(rendered.body) as Record<string, unknown>, rendered.status, {
      cause: authError,
    });
    this.message = authError.message;
    this.authError = authError;
    this.rendered = rendered;
  }
}
